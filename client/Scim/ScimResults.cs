using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// SCIM responses: the profile's Content-Type (R-GEN-4), its ETag and Location headers (R-META-3,
/// R-ETAG-1), and the error body (R-ERR-1). An error of a request that is not authenticated has no tenant
/// and so no profile: it is answered as the default (aws) profile answers.
/// </summary>
public static class ScimResults
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(ScimJson json, WireProfile profile, int status = StatusCodes.Status200OK) =>
        new Answer(new ScimResponse(json), profile, status);

    /// <summary>A resource grain's answer: its body with <paramref name="status"/>, 204 when it has none, 304 when not modified.</summary>
    public static IResult Resource(ScimResponse response, WireProfile profile, int status = StatusCodes.Status200OK) =>
        new Answer(response, profile, status);

    public static IResult NoContent() => Results.StatusCode(StatusCodes.Status204NoContent);

    public static IResult Error(ScimException error) => new ErrorBody(error);

    public static Task WriteErrorAsync(HttpContext context, ScimException error)
    {
        if (error.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, DirectoryScope.ProfileOf(context) ?? WireProfile.Aws, error.Status, ErrorJson(context, error));
    }

    /// <summary>Every SCIM answer with a body: UTF-8 JSON bytes as they are, with their length.</summary>
    private static Task WriteAsync(HttpContext context, WireProfile profile, int status, byte[] utf8)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = profile.ContentType;
        context.Response.ContentLength = utf8.Length;
        return context.Response.Body.WriteAsync(utf8).AsTask();
    }

    private static byte[] ErrorJson(HttpContext context, ScimException error)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Relaxed))
        {
            var time = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
            ScimErrorBody.Write(writer, error, RequestIds.Of(context), time.GetUtcNow());
        }
        return stream.ToArray();
    }

    private sealed class Answer(ScimResponse response, WireProfile profile, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            if (response.ETag is not null)
                headers.ETag = response.ETag;
            if (status == StatusCodes.Status201Created && response.Location is not null)
                headers.Location = response.Location;
            if (response.NotModified || response.Body is null)
            {
                context.Response.StatusCode = response.NotModified ? StatusCodes.Status304NotModified : StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }
            return WriteAsync(context, profile, status, response.Body.Utf8);
        }
    }

    private sealed class ErrorBody(ScimException error) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => WriteErrorAsync(context, error);
    }
}
