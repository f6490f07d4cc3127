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

    // When each gateway last subscribed; after a move to another silo, every stored one counts as just seen.
    private readonly Dictionary<IGatewayObserver, DateTimeOffset> _lastSeen = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var gateway in registry.State.Gateways)
            _lastSeen[gateway] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public async Task SubscribeAsync(IGatewayObserver gateway)
    {
        var known = _lastSeen.ContainsKey(gateway);
        _lastSeen[gateway] = time.GetUtcNow();
        if (!known | ForgetSilent())
            await SaveAsync();
    }

    public async Task UnsubscribeAsync(IGatewayObserver gateway)
    {
        if (_lastSeen.Remove(gateway))
            await SaveAsync();
    }

    public Task<bool> DropTokenEverywhereAsync(string tokenKey) =>
        TellEveryGatewayAsync(gateway => gateway.DropTokenAsync(tokenKey), $"dropping token {tokenKey}");

    public Task<bool> ForgetTenantEverywhereAsync(string tenantId) =>
        TellEveryGatewayAsync(gateway => gateway.ForgetTenantAsync(tenantId), $"forgetting the settings of tenant {tenantId}");

    private async Task<bool> TellEveryGatewayAsync(Func<IGatewayObserver, Task> tell, string what)
    {
        if (ForgetSilent())
            await SaveAsync();
        var confirmations = _lastSeen.Keys.Select(gateway => ConfirmAsync(gateway, tell, what)).ToList();
        return (await Task.WhenAll(confirmations)).All(confirmed => confirmed);
    }

    private async Task<bool> ConfirmAsync(IGatewayObserver gateway, Func<IGatewayObserver, Task> tell, string what)
    {
        try
        {
            await tell(gateway).WaitAsync(ConfirmationTimeout);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A gateway did not confirm {What}", what);
            return false;
        }
    }

    /// <summary>Forgets gateways silent for longer than they trust their gateways; true when one was forgotten.</summary>
    private bool ForgetSilent()
    {
        var now = time.GetUtcNow();
        var silent = _lastSeen.Where(entry => now - entry.Value > TokenCacheTimes.Forgotten).Select(entry => entry.Key).ToList();
        silent.ForEach(gateway => _lastSeen.Remove(gateway));
        return silent.Count > 0;
    }

    private Task SaveAsync()
    {
        registry.State.Gateways = [.. _lastSeen.Keys];
        return registry.WriteStateAsync();
    }
}
