using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Serialization.Configuration;

namespace IdentityDirectory.Tokens;

/// <summary>
/// The tokens this silo's gateway has seen validated, so that a SCIM request need not call the token's
/// grain (docs/decisions.md, "Validated tokens are cached per silo"). An entry keeps a digest of the
/// secret, never the secret. A drop (<see cref="DropEverywhereAsync"/>) moves <see cref="_drops"/> on,
/// and an answer is kept only if no drop came in while it was on its way, so a revocation cannot be
/// undone by a validation that started before it.
/// </summary>
public sealed class TokenCache(TimeProvider time) : IControllable
{
    public const string Name = "scim-token-cache";
    private const int DropCommand = 1;

    /// <summary>How long an answer is trusted at most: what a silo that missed a drop can get wrong, and for how long.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _drops;

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
            && CryptographicOperations.FixedTimeEquals(entry.SecretDigest, digest))
        {
            return entry.Partition;
        }
        var dropsBefore = Volatile.Read(ref _drops);
        var grant = await askGrain(tokenKey, secret);
        if (grant is null)
            return null;
        var leaseEnd = now + Lease; // counted from before the question, on this silo's clock
        lock (_gate)
        {
            if (_drops == dropsBefore)
                _entries[tokenKey] = new Entry(digest, grant.Partition, grant.TrustUntil < leaseEnd ? grant.TrustUntil : leaseEnd);
        }
        return grant.Partition;
    }

    /// <summary>Drops the token from the cache of every active silo; returns when all of them have.</summary>
    public static Task DropEverywhereAsync(IGrainFactory grains, string tokenKey) =>
        grains.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<TokenCache>(Name, DropCommand, tokenKey);

    public Task<object?> ExecuteCommand(int command, object? arg)
    {
        if (command != DropCommand || arg is not string tokenKey)
            throw new ArgumentException($"Unknown token cache command {command}.", nameof(command));
        lock (_gate)
        {
            _drops++;
            _entries.TryRemove(tokenKey, out _);
        }
        return Task.FromResult<object?>(null);
    }

    /// <summary>The cache keeps a digest, never the secret itself; secrets are 256-bit random values (<see cref="SecretHasher"/>).</summary>
    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

public static class TokenCacheServiceExtensions
{
    /// <summary>One cache per silo, reachable by Orleans' control channel under <see cref="TokenCache.Name"/>; every silo needs it, since a revocation waits for all of them.</summary>
    public static IServiceCollection AddTokenCache(this IServiceCollection services)
    {
        services.AddSingleton<TokenCache>();
        services.AddKeyedSingleton<IControllable>(TokenCache.Name, (provider, _) => provider.GetRequiredService<TokenCache>());
        // The control-channel call names the cache's type, which silos must let through their serializer.
        services.Configure<TypeManifestOptions>(options => options.AddAllowedType(typeof(TokenCache)));
        return services;
    }
}
