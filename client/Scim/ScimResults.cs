using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>SCIM responses of the aws profile: application/json (R-GEN-4) and the AWS-style error body (R-ERR-1).</summary>
public static class ScimResults
{
    public const string ContentType = "application/json; charset=utf-8";

    public static IResult Json(ScimJson json, int status = StatusCodes.Status200OK) => new JsonBytes(json, status);

    public static IResult NoContent() => Results.StatusCode(StatusCodes.Status204NoContent);

    public static IResult Error(ScimException error) => new ErrorBody(error);

    public static Task WriteErrorAsync(HttpContext context, ScimException error)
    {
        if (error.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, error.Status, ErrorJson(context, error));
    }

    /// <summary>Every SCIM answer with a body: UTF-8 JSON bytes as they are, with their length.</summary>
    private static Task WriteAsync(HttpContext context, int status, byte[] utf8)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = utf8.Length;
        return context.Response.Body.WriteAsync(utf8).AsTask();
    }

    private static byte[] ErrorJson(HttpContext context, ScimException error)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimSchemaUris.Error);
            writer.WriteEndArray();
            writer.WriteStartArray("schema");
            writer.WriteStringValue(ScimSchemaUris.Error);
            writer.WriteEndArray();
            writer.WriteString("status", error.Status.ToString(CultureInfo.InvariantCulture));
            if (error.ScimType is not null && error.Status is 400 or 409)
                writer.WriteString("scimType", error.ScimType);
            writer.WriteString("detail", error.Detail);
            writer.WriteString("exceptionRequestId", RequestIds.Of(context));
            var time = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
            writer.WriteString("timeStamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private sealed class JsonBytes(ScimJson json, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => WriteAsync(context, status, json.Utf8);
    }

    private sealed class ErrorBody(ScimException error) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => WriteErrorAsync(context, error);
    }
}
