using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The tokens this gateway has seen validated, so that a SCIM request need not call the token's grain
/// (docs/decisions.md, "Validated tokens are cached per gateway"). An entry keeps a digest of the secret,
/// never the secret. A revocation reaches the cache through the gateway's <see cref="ClusterSubscription"/>;
/// answers are trusted only while it is connected. A drop moves <see cref="_drops"/> on, and an answer is kept
/// only if no drop came in while it was on its way, so a revocation cannot be undone by a validation that
/// started before it.
/// </summary>
public sealed class TokenCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ClusterSubscription _subscription;
    private long _drops;

    private sealed record Entry(byte[] SecretDigest, string Partition, DateTimeOffset TrustUntil);

    public TokenCache(TimeProvider time, ClusterSubscription subscription)
    {
        _time = time;
        _subscription = subscription;
        subscription.TokenDropped += Drop;
    }

    /// <summary>
    /// The partition the token <paramref name="tokenKey"/> opens with <paramref name="secret"/>, from
    /// the cache while its entry is trusted, else from <paramref name="askGrain"/> (given the token key
    /// and the secret); null when the token opens nothing.
    /// </summary>
    public async ValueTask<string?> ValidateAsync(string tokenKey, string secret, Func<string, string, Task<TokenGrant?>> askGrain)
    {
        var digest = Digest(secret);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(tokenKey, out var entry)
            && now < entry.TrustUntil
            && _subscription.IsConnected
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

    private void Drop(string tokenKey)
    {
        lock (_gate)
        {
            _drops++;
            _entries.TryRemove(tokenKey, out _);
        }
    }

    /// <summary>The cache keeps a digest, never the secret itself; secrets are 256-bit random values.</summary>
    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
