using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Tokens;

public sealed class GatewayRegistryGrain(
    [PersistentState("gateway-registry", DirectoryStorage.Name)] IPersistentState<GatewayRegistryState> registry,
    [FromKeyedServices(TokenCacheTimes.LivenessClock)] TimeProvider time,
    ILogger<GatewayRegistryGrain> logger) : Grain, IGatewayRegistryGrain
{
    /// <summary>How long a revocation waits for a gateway's confirmation.</summary>
    private static readonly TimeSpan ConfirmationTimeout = TimeSpan.FromSeconds(5);

    // When each cache last subscribed; after a move to another silo, every stored one counts as just seen.
    private readonly Dictionary<ITokenCacheObserver, DateTimeOffset> _lastSeen = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var cache in registry.State.Caches)
            _lastSeen[cache] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public async Task SubscribeAsync(ITokenCacheObserver cache)
    {
        var known = _lastSeen.ContainsKey(cache);
        _lastSeen[cache] = time.GetUtcNow();
        if (!known | ForgetSilent())
            await SaveAsync();
    }

    public async Task UnsubscribeAsync(ITokenCacheObserver cache)
    {
        if (_lastSeen.Remove(cache))
            await SaveAsync();
    }

    public async Task<bool> DropEverywhereAsync(string tokenKey)
    {
        if (ForgetSilent())
            await SaveAsync();
        var confirmations = _lastSeen.Keys.Select(cache => ConfirmAsync(cache, tokenKey)).ToList();
        return (await Task.WhenAll(confirmations)).All(confirmed => confirmed);
    }

    private async Task<bool> ConfirmAsync(ITokenCacheObserver cache, string tokenKey)
    {
        try
        {
            await cache.DropAsync(tokenKey).WaitAsync(ConfirmationTimeout);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A gateway did not confirm dropping token {TokenKey} from its cache", tokenKey);
            return false;
        }
    }

    /// <summary>Forgets gateways silent for longer than they trust their caches; true when one was forgotten.</summary>
    private bool ForgetSilent()
    {
        var now = time.GetUtcNow();
        var silent = _lastSeen.Where(entry => now - entry.Value > TokenCacheTimes.Forgotten).Select(entry => entry.Key).ToList();
        silent.ForEach(cache => _lastSeen.Remove(cache));
        return silent.Count > 0;
    }

    private Task SaveAsync()
    {
        registry.State.Caches = [.. _lastSeen.Keys];
        return registry.WriteStateAsync();
    }
}
