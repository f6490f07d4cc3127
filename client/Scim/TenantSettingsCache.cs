using System.Collections.Concurrent;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>A tenant's settings and the wire profile they select, as a SCIM request of the tenant is served.</summary>
public sealed record TenantScim(TenantSettings Settings, WireProfile Profile);

/// <summary>
/// The settings of the tenants this gateway serves (O-3), read from their directory grains, with the wire
/// profile they select. A change reaches the cache through the gateway's <see cref="ClusterSubscription"/>
/// when it is saved; should that news not arrive, an entry is read again after <see cref="Lifetime"/> at the latest.
/// </summary>
public sealed class TenantSettingsCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TenantScim Tenant, long ReadAt)> _tenants = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;

    public TenantSettingsCache(IGrainFactory grains, TimeProvider time, ClusterSubscription subscription)
    {
        _grains = grains;
        _time = time;
        subscription.TenantChanged += tenantId => _tenants.TryRemove(tenantId, out _);
    }

    public async ValueTask<TenantScim> GetAsync(string tenantId)
    {
        var now = _time.GetTimestamp();
        if (_tenants.TryGetValue(tenantId, out var tenant) && _time.GetElapsedTime(tenant.ReadAt, now) <= Lifetime)
            return tenant.Tenant;
        var settings = await _grains.Reference<IDirectoryGrain>(tenantId).GetSettingsAsync();
        var read = new TenantScim(settings, settings.ScimProfile());
        _tenants[tenantId] = (read, now);
        return read;
    }
}
