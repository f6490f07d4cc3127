using System.Collections.Concurrent;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Hosting;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The settings of the tenants this gateway serves (O-3), read from their directory grains. A change reaches
/// the cache through the gateway's <see cref="ClusterSubscription"/> when it is saved; should that news not
/// arrive, an entry is read again after <see cref="Lifetime"/> at the latest.
/// </summary>
public sealed class TenantSettingsCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TenantSettings Settings, long ReadAt)> _tenants = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;

    public TenantSettingsCache(IGrainFactory grains, TimeProvider time, ClusterSubscription subscription)
    {
        _grains = grains;
        _time = time;
        subscription.TenantChanged += tenantId => _tenants.TryRemove(tenantId, out _);
    }

    public async ValueTask<TenantSettings> GetAsync(string tenantId)
    {
        var now = _time.GetTimestamp();
        if (_tenants.TryGetValue(tenantId, out var tenant) && _time.GetElapsedTime(tenant.ReadAt, now) <= Lifetime)
            return tenant.Settings;
        var settings = await _grains.GetGrain<IDirectoryGrain>(tenantId).GetSettingsAsync();
        _tenants[tenantId] = (settings, now);
        return settings;
    }
}
