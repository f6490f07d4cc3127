using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The one place a ScimException becomes an HTTP error; a cluster that did not answer is a 503 to retry; anything
/// unexpected is a 500 with a SCIM body (R-GEN-8).
/// </summary>
public sealed class ScimErrorFilter(ILogger<ScimErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ScimException error)
        {
            return ScimResults.Error(error);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ScimResults.Error(ScimBody.TooLarge());
        }
        catch (Exception error) when (ClusterFailures.IsUnavailable(error))
        {
            logger.LogWarning(error, "The cluster did not answer {Method} {Path}", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return ScimResults.Error(ScimException.Unavailable());
        }
        catch (Exception error) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(error, "Unexpected failure of {Method} {Path}", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return ScimResults.Error(new ScimException(500, null, "InternalServerException: the request failed; retry it."));
        }
    }
}
