using System.Text;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace IdentityDirectory.Gateway;

/// <summary>
/// What every request meets first: the product's limits on its size, and the guarantee that no error leaves
/// without a body (DESIGN.md §4). A request target over <see cref="MaxTargetBytes"/> is 414, headers over
/// <see cref="MaxHeaderBytes"/> or <see cref="MaxHeaderLines"/> lines are 431, a body over
/// <see cref="ScimBody.MaxBytes"/> is 413, each before any other answer. Kestrel's own limits sit well
/// above these (<see cref="ConfigureKestrel"/>), because Kestrel answers what it refuses itself, before
/// any product code runs, with a bare status: the band between the two gets a full error body.
/// </summary>
public static class RequestEdge
{
    public const int MaxTargetBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderLines = 100;

    /// <summary>
    /// Kestrel's limits: far enough above the product's that only a request no client sends by mistake meets them.
    /// A body refused with 413 is still read to its end, up to Kestrel's body limit, so that the connection stays
    /// usable and a client that sends its whole body before reading sees the answer.
    /// </summary>
    public static void ConfigureKestrel(KestrelServerOptions options)
    {
        options.Limits.MaxRequestLineSize = 8 * MaxTargetBytes;
        options.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
        options.Limits.MaxRequestHeaderCount = 2 * MaxHeaderLines;
        options.Limits.MaxRequestBodySize = 8 * ScimBody.MaxBytes;
    }

    public static IApplicationBuilder UseRequestEdge(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            if (await RefusalAsync(context) is { } refusal)
            {
                await GatewayErrors.WriteAsync(context, refusal);
                return;
            }
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400)
                await GatewayErrors.WriteAsync(context, Unexplained(context));
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            await GatewayErrors.WriteAsync(context, Error(error.StatusCode, error.Message));
        }
        catch (Exception error) when (!context.Response.HasStarted && ClusterFailures.IsUnavailable(error))
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestEdge))
                .LogWarning(error, "The cluster did not answer {Method} {Path}", context.Request.Method, context.Request.Path);
            await GatewayErrors.WriteAsync(context, ScimException.Unavailable());
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestEdge))
                .LogError(error, "Unexpected failure of {Method} {Path}", context.Request.Method, context.Request.Path);
            var requestId = RequestIds.Of(context);
            context.Response.Clear();
            context.Response.Headers[RequestIds.Header] = requestId;
            await GatewayErrors.WriteAsync(context, new ScimException(500, null, "InternalServerException: the request failed; retry it."));
        }
    });

    private static async Task<ScimException?> RefusalAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestFeature>()!.RawTarget.Length > MaxTargetBytes)
            return new ScimException(StatusCodes.Status414UriTooLong, null, $"The request target exceeds {MaxTargetBytes} bytes.");
        var (lines, bytes) = (0, 0);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                lines++;
                bytes += name.Length + Encoding.UTF8.GetByteCount(value ?? "") + 4; // "name: value\r\n"
            }
        }
        if (lines > MaxHeaderLines || bytes > MaxHeaderBytes)
            return new ScimException(StatusCodes.Status431RequestHeaderFieldsTooLarge, null,
                $"The request headers exceed {MaxHeaderBytes} bytes or {MaxHeaderLines} lines.");
        if (request.ContentLength > ScimBody.MaxBytes || (request.ContentLength is null && !await FitsAsync(request)))
            return ScimBody.TooLarge();
        return null;
    }

    /// <summary>
    /// Whether a body of unknown length (chunked) fits the limit: it is read into memory here, so that its size
    /// is known before an endpoint answers anything else about it, and handed on from the start.
    /// </summary>
    private static async Task<bool> FitsAsync(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
            return true;
        request.EnableBuffering(bufferThreshold: ScimBody.MaxBytes, bufferLimit: ScimBody.MaxBytes);
        try
        {
            await request.Body.DrainAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return false;
        }
        request.Body.Position = 0;
        return true;
    }

    /// <summary>An error status set without a body: an unknown path, a method or content type the route does not take.</summary>
    private static ScimException Unexplained(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => ScimException.NotFound($"{context.Request.Path} is not served here."),
        StatusCodes.Status405MethodNotAllowed => new ScimException(405, null, $"{context.Request.Method} is not supported on {context.Request.Path}."),
        StatusCodes.Status415UnsupportedMediaType => new ScimException(415, null, "The body must be JSON (Content-Type: application/json)."),
        var status => Error(status, ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed."),
    };

    /// <summary>A refusal by status; a 400 is a request that cannot be read (R-ERR-3 invalidSyntax).</summary>
    private static ScimException Error(int status, string detail) =>
        status == StatusCodes.Status400BadRequest ? ScimException.InvalidSyntax(detail) : new ScimException(status, null, detail);
}
