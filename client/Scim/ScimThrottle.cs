using System.Collections.Concurrent;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>SCIM rate limits per tenant (R-GEN-7): requests per second, 0 = off. Section <c>Scim:Throttle</c>.</summary>
public sealed class ScimThrottleOptions
{
    public double ReadsPerSecond { get; set; } = 40;
    public double WritesPerSecond { get; set; } = 25;
}

/// <summary>
/// A token bucket per tenant and kind (read, write), refilled from the injected clock; one per gateway
/// process. An empty bucket is 429 with Retry-After.
/// </summary>
public sealed class ScimThrottle(IOptions<ScimThrottleOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, bool Write), TokenBucket> _buckets = new();

    public bool TryTake(string tenantId, bool write, out TimeSpan retryAfter)
    {
        var rate = write ? options.Value.WritesPerSecond : options.Value.ReadsPerSecond;
        retryAfter = TimeSpan.Zero;
        return rate <= 0 || _buckets.GetOrAdd((tenantId, write), _ => new TokenBucket(rate, time)).TryTake(out retryAfter);
    }

    private sealed class TokenBucket
    {
        private readonly Lock _gate = new();
        private readonly double _rate;
        private readonly TimeProvider _time;
        private double _tokens;
        private long _refilledAt;

        public TokenBucket(double ratePerSecond, TimeProvider time)
        {
            _rate = _tokens = ratePerSecond;
            _time = time;
            _refilledAt = time.GetTimestamp();
        }

        public bool TryTake(out TimeSpan retryAfter)
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(_rate, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _rate);
                _refilledAt = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _rate);
                return false;
            }
        }
    }
}

/// <summary>Runs after authentication, so only a tenant's own authenticated calls spend its budget.</summary>
public sealed class ScimThrottleFilter(ScimThrottle throttle) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (http.GetRouteValue("tenantId") is string tenantId && !throttle.TryTake(tenantId, write, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
            return ScimResults.Error(new ScimException(429, null, "ThrottlingException: rate exceeded; retry after the time in Retry-After."));
        }
        return await next(context);
    }
}
