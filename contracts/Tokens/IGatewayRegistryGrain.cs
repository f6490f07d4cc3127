namespace IdentityDirectory.Tokens;

/// <summary>
/// The gateways whose caches a revocation or a settings change must reach, one registry per cluster (key
/// <see cref="Key"/>). A gateway subscribes at start and again every <see cref="TokenCacheTimes.Refresh"/>;
/// the registry forgets one that stayed silent for <see cref="TokenCacheTimes.Forgotten"/>, by which time that
/// gateway has stopped trusting its caches (<see cref="TokenCacheTimes.Trusted"/>).
/// </summary>
public interface IGatewayRegistryGrain : IGrainWithStringKey
{
    const string Key = "gateways";

    Task SubscribeAsync(IGatewayObserver cache);

    Task UnsubscribeAsync(IGatewayObserver cache);

    /// <summary>
    /// Drops the token from every subscribed gateway's cache; true when every one of them confirmed,
    /// false when one did not answer in time (it refuses the token once its answer's lease runs out).
    /// </summary>
    Task<bool> DropTokenEverywhereAsync(string tokenKey);

    /// <summary>Makes every subscribed gateway forget the tenant's settings; true when every one of them confirmed.</summary>
    Task<bool> ForgetTenantEverywhereAsync(string tenantId);
}
