using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The tokens this gateway has seen validated, so that a SCIM request need not call the token's grain
/// (docs/decisions.md, "Validated tokens are cached per gateway"). An entry keeps a digest of the secret,
/// never the secret. A revocation reaches the cache through <see cref="IGatewayRegistryGrain"/>, to which
/// the cache subscribes at start and every <see cref="TokenCacheTimes.Refresh"/>; answers are trusted only
/// while the last subscription is younger than <see cref="TokenCacheTimes.Trusted"/>, since the registry
/// forgets a gateway that stopped renewing. A drop moves <see cref="_drops"/> on, and an answer is kept only
/// if no drop came in while it was on its way, so a revocation cannot be undone by a validation that started
/// before it.
/// </summary>
public sealed class TokenCache(
    IGrainFactory grains,
    TimeProvider time,
    [FromKeyedServices(TokenCacheTimes.LivenessClock)] TimeProvider liveness,
    ILogger<TokenCache> logger) : BackgroundService, ITokenCacheObserver
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _drops;
    private long _trustedUntilTicks; // UTC ticks; 0 until the first subscription is confirmed

    private sealed record Entry(byte[] SecretDigest, string Partition, DateTimeOffset TrustUntil);

    /// <summary>
    /// The partition the token <paramref name="tokenKey"/> opens with <paramref name="secret"/>, from
    /// the cache while its entry is trusted, else from <paramref name="askGrain"/> (given the token key
    /// and the secret); null when the token opens nothing.
    /// </summary>
    public async ValueTask<string?> ValidateAsync(string tokenKey, string secret, Func<string, string, Task<TokenGrant?>> askGrain)
    {
        var digest = Digest(secret);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tokenKey, out var entry)
            && now < entry.TrustUntil
            && IsConnected
            && CryptographicOperations.FixedTimeEquals(entry.SecretDigest, digest))
        {
            return entry.Partition;
        }
        var dropsBefore = Volatile.Read(ref _drops);
        var grant = await askGrain(tokenKey, secret);
        if (grant is null)
            return null;
        var leaseEnd = now + TokenCacheTimes.Lease; // counted from before the question, on this gateway's clock
        lock (_gate)
        {
            if (_drops == dropsBefore)
                _entries[tokenKey] = new Entry(digest, grant.Partition, grant.TrustUntil < leaseEnd ? grant.TrustUntil : leaseEnd);
        }
        return grant.Partition;
    }

    public Task DropAsync(string tokenKey)
    {
        lock (_gate)
        {
            _drops++;
            _entries.TryRemove(tokenKey, out _);
        }
        return Task.CompletedTask;
    }

    /// <summary>Keeps the subscription to the registry alive; answers are trusted only while it is.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<ITokenCacheObserver>(this);
        var registry = grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key);
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
            grains.DeleteObjectReference<ITokenCacheObserver>(reference);
        }
    }

    /// <summary>Completes once the gateway's first subscription is confirmed: from then on the cluster reaches it, and it the cluster.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Whether the last subscription is recent enough for revocations to reach this gateway (and so for it to serve from cache).</summary>
    public bool IsConnected => liveness.GetUtcNow().UtcTicks < Volatile.Read(ref _trustedUntilTicks);

    private async Task SubscribeAsync(IGatewayRegistryGrain registry, ITokenCacheObserver reference)
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
            // Answers stay trusted until the last confirmed subscription lapses; then every request asks its token's grain.
            logger.LogWarning(e, "The gateway could not renew its subscription for token revocations");
        }
    }

    /// <summary>The cache keeps a digest, never the secret itself; secrets are 256-bit random values.</summary>
    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
