using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// This gateway as the cluster reaches it (<see cref="IGatewayObserver"/>): subscribed to the registry at start and
/// every <see cref="TokenCacheTimes.Refresh"/>, so that a revoked token (T-6) or a tenant's changed settings (O-3)
/// reach the gateway's caches. The caches trust what they hold only while <see cref="IsConnected"/>: the registry
/// forgets a gateway that stopped renewing, after which nothing would reach it.
/// </summary>
public sealed class ClusterSubscription(
    IGrainFactory grains,
    [FromKeyedServices(TokenCacheTimes.LivenessClock)] TimeProvider liveness,
    ILogger<ClusterSubscription> logger) : BackgroundService, IGatewayObserver
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _trustedUntilTicks; // UTC ticks on the liveness clock; 0 until the first subscription is confirmed

    /// <summary>A token was revoked: the cache forgets it.</summary>
    public event Action<string>? TokenDropped;

    /// <summary>A tenant's settings changed: the cache forgets them.</summary>
    public event Action<string>? TenantChanged;

    /// <summary>Completes once the first subscription is confirmed: from then on the cluster reaches this gateway, and it the cluster.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Whether the last subscription is recent enough for the cluster's news to reach this gateway.</summary>
    public bool IsConnected => liveness.GetUtcNow().UtcTicks < Volatile.Read(ref _trustedUntilTicks);

    public Task DropTokenAsync(string tokenKey)
    {
        TokenDropped?.Invoke(tokenKey);
        return Task.CompletedTask;
    }

    public Task ForgetTenantAsync(string tenantId)
    {
        TenantChanged?.Invoke(tenantId);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IGatewayObserver>(this);
        var registry = grains.Reference<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key);
        using var timer = new PeriodicTimer(TokenCacheTimes.Refresh, liveness);
        try
        {
            do
            {
                await SubscribeAsync(registry, reference);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _trustedUntilTicks, 0);
            await registry.UnsubscribeAsync(reference).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
            grains.DeleteObjectReference<IGatewayObserver>(reference);
        }
    }

    private async Task SubscribeAsync(IGatewayRegistryGrain registry, IGatewayObserver reference)
    {
        var asked = liveness.GetUtcNow();
        try
        {
            await registry.SubscribeAsync(reference);
            Volatile.Write(ref _trustedUntilTicks, (asked + TokenCacheTimes.Trusted).UtcTicks);
            _connected.TrySetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What the caches hold stays trusted until the last confirmed subscription lapses; then they ask the grains.
            logger.LogWarning(e, "The gateway could not renew its subscription to the cluster's revocations and settings changes");
        }
    }
}
