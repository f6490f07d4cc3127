using System.Collections.Concurrent;
using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// SCIM rate limits per tenant (R-GEN-7): a token bucket per tenant and kind (read, write) at the
/// rates of the tenant's settings (O-3, 0 = off), refilled from the injected clock. Settings are
/// re-read every half minute, so a change applies within that time without a call per request.
/// </summary>
public sealed class ScimThrottle(IGrainFactory grains, TimeProvider time, DirectoryMetrics metrics)
{
    private static readonly TimeSpan SettingsLifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, TenantBuckets> _tenants = new();

    /// <summary>Takes one read or write, and for group writes their membership changes; null when allowed, else the wait.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(string tenantId, bool write, int membershipChanges = 0)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new TenantBuckets());
        var now = time.GetTimestamp();
        if (tenant.ReadAt is not { } readAt || time.GetElapsedTime(readAt, now) > SettingsLifetime)
        {
            var settings = await grains.GetGrain<IDirectoryGrain>(tenantId).GetSettingsAsync();
            tenant.Apply(settings, now, time);
        }
        var bucket = write ? tenant.Writes : tenant.Reads;
        if (bucket is not null && !bucket.TryTake(1, out var retryAfter))
        {
            metrics.Throttled(tenantId, write ? "write" : "read");
            return retryAfter;
        }
        if (membershipChanges > 0 && tenant.Members is { } members && !members.TryTake(membershipChanges, out retryAfter))
        {
            metrics.Throttled(tenantId, "membership");
            return retryAfter;
        }
        return null;
    }

    private sealed class TenantBuckets
    {
        private readonly Lock _gate = new();

        public long? ReadAt { get; private set; }
        public TokenBucket? Reads { get; private set; }
        public TokenBucket? Writes { get; private set; }
        public TokenBucket? Members { get; private set; }

        /// <summary>Keeps a bucket whose rate did not change, so concurrent refreshes never hand out a fresh, full bucket.</summary>
        public void Apply(TenantSettings settings, long now, TimeProvider time)
        {
            lock (_gate)
            {
                if ((Reads?.Rate ?? 0) != settings.ReadsPerSecond)
                    Reads = settings.ReadsPerSecond > 0 ? new TokenBucket(settings.ReadsPerSecond, time) : null;
                if ((Writes?.Rate ?? 0) != settings.WritesPerSecond)
                    Writes = settings.WritesPerSecond > 0 ? new TokenBucket(settings.WritesPerSecond, time) : null;
                if ((Members?.Rate ?? 0) != settings.MembershipChangesPerSecond)
                    Members = settings.MembershipChangesPerSecond > 0 ? new TokenBucket(settings.MembershipChangesPerSecond, time) : null;
                ReadAt = now;
            }
        }
    }

    private sealed class TokenBucket
    {
        private readonly Lock _gate = new();
        private readonly TimeProvider _time;
        private double _tokens;
        private long _refilledAt;

        public TokenBucket(double ratePerSecond, TimeProvider time)
        {
            Rate = _tokens = ratePerSecond;
            _time = time;
            _refilledAt = time.GetTimestamp();
        }

        public double Rate { get; }

        /// <summary>Takes <paramref name="count"/> tokens or none; a request larger than the bucket waits for a full one.</summary>
        public bool TryTake(int count, out TimeSpan retryAfter)
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(Rate, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * Rate);
                _refilledAt = now;
                var needed = Math.Min(count, Rate);
                if (_tokens >= needed)
                {
                    _tokens -= needed;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                retryAfter = TimeSpan.FromSeconds((needed - _tokens) / Rate);
                return false;
            }
        }
    }
}

/// <summary>Runs after authentication, so only a tenant's own authenticated calls spend its budget; an empty bucket is 429 with Retry-After.</summary>
public sealed class ScimThrottleFilter(ScimThrottle throttle) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        var membershipChanges = write ? await MembershipChanges.CountAsync(http.Request) : 0;
        if (http.GetRouteValue("tenantId") is string tenantId && await throttle.TryTakeAsync(tenantId, write, membershipChanges) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
            return ScimResults.Error(new ScimException(429, null, "ThrottlingException: rate exceeded; retry after the time in Retry-After."));
        }
        return await next(context);
    }
}
