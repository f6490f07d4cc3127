using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Serialization.Configuration;

namespace IdentityDirectory.Tokens;

/// <summary>
/// The tokens this silo's gateway has seen validated, so that a SCIM request does not call the token
/// grain every time: that call was a sixth of the CPU of the cheapest request, and in a cluster a
/// network hop to whichever silo hosts the grain. An entry holds what the grain granted
/// (<see cref="TokenGrant"/>) and a digest of the secret it was granted for, and is trusted only until
/// <see cref="TokenGrant.TrustUntil"/>: no longer than the token lives (T-5), nor past the moment its
/// last use is due to be recorded again: from that instant on, requests go to the grain again.
/// <para>
/// A revocation (T-6) reaches every active silo through Orleans' control channel before
/// <see cref="ITokenGrain.RevokeAsync"/> returns (<see cref="DropEverywhereAsync"/>). A validation that
/// was on its way while a drop came in does not fill the cache afterwards: every drop moves
/// <see cref="_drops"/> on, and an answer is kept only if no drop came in since its question left.
/// Invalid tokens are never cached, so a guessed or revoked token is always asked for at the grain.
/// </para>
/// </summary>
public sealed class TokenCache(TimeProvider time) : IControllable
{
    public const string Name = "scim-token-cache";
    private const int DropCommand = 1;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _drops;

    private sealed record Entry(byte[] SecretDigest, TokenGrant Grant);

    /// <summary>
    /// The partition the token <paramref name="tokenKey"/> opens with <paramref name="secret"/>, from
    /// the cache while its entry is trusted, else from <paramref name="askGrain"/>; null when the token
    /// opens nothing.
    /// </summary>
    public async ValueTask<string?> ValidateAsync(string tokenKey, string secret, Func<Task<TokenGrant?>> askGrain)
    {
        var digest = Digest(secret);
        if (_entries.TryGetValue(tokenKey, out var entry)
            && time.GetUtcNow() < entry.Grant.TrustUntil
            && CryptographicOperations.FixedTimeEquals(entry.SecretDigest, digest))
        {
            return entry.Grant.Partition;
        }
        var dropsBefore = Volatile.Read(ref _drops);
        var grant = await askGrain();
        if (grant is null)
            return null;
        lock (_gate)
        {
            if (_drops == dropsBefore)
                _entries[tokenKey] = new Entry(digest, grant);
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
        return Task.FromResult<object?>(tokenKey);
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
