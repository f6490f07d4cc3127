using IdentityDirectory.Scim;
using IdentityDirectory.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// SCIM rate limits per tenant (R-GEN-7): every authenticated request spends a read or a write of its
/// tenant's budget, which one grain per tenant keeps (<see cref="ITenantRateGrain"/>), so the budget is the
/// tenant's, not this gateway's. A tenant without limits (0 = off, O-3) costs no call per request.
/// </summary>
public sealed class ScimThrottle(IGrainFactory grains, TenantSettingsCache settings)
{
    /// <summary>Takes one read or write of the tenant's budget; null when allowed, else the wait.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(string tenantId, bool write) =>
        (await settings.GetAsync(tenantId)).Rates.Unlimited
            ? null
            : await grains.GetGrain<ITenantRateGrain>(tenantId).TryTakeAsync(write ? RateKind.Write : RateKind.Read);
}

/// <summary>Runs after authentication, so only a tenant's own authenticated calls spend its budget; an empty bucket is 429 with Retry-After.</summary>
public sealed class ScimThrottleFilter(ScimThrottle throttle) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (http.GetRouteValue("tenantId") is string tenantId && await throttle.TryTakeAsync(tenantId, write) is { } retryAfter)
            return ScimResults.Error(ScimException.Throttled(retryAfter));
        return await next(context);
    }
}
