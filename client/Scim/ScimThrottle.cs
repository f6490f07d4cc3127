using IdentityDirectory.Scim;
using IdentityDirectory.Throttling;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// SCIM rate limits per tenant (R-GEN-7): every authenticated request spends a read or a write of its
/// tenant's budget, which one grain per tenant keeps (<see cref="ITenantRateGrain"/>), so the budget is the
/// tenant's, not this gateway's. Runs after authentication, so only a tenant's own authenticated calls spend
/// its budget; a tenant without limits (0 = off, O-3) costs no call per request. An empty bucket is 429 with Retry-After.
/// </summary>
public sealed class ScimThrottleFilter(IGrainFactory grains) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var scope = new DirectoryScope(http);
        if (!scope.Settings.Rates.Unlimited)
        {
            var kind = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? RateKind.Read : RateKind.Write;
            if (await grains.Reference<ITenantRateGrain>(scope.TenantId).TryTakeAsync(kind) is { } retryAfter)
                return ScimResults.Error(ScimException.Throttled(retryAfter));
        }
        return await next(context);
    }
}
