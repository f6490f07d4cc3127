namespace IdentityDirectory.Tokens;

/// <summary>
/// How long a gateway may answer for a token without asking its grain, and how the gateways stay
/// reachable for revocations (<see cref="IGatewayRegistryGrain"/>). These bound how stale a gateway's
/// answer can be when a revocation cannot reach it (docs/decisions.md, "Validated tokens are cached per gateway").
/// </summary>
public static class TokenCacheTimes
{
    /// <summary>
    /// The key of the clock that subscriptions are timed on: the system clock, like Orleans' own membership
    /// clocks, so that moving the clock the product's rules run on (T-5, T-8) never makes a gateway look dead.
    /// Leases are timed on the rules' clock.
    /// </summary>
    public const string LivenessClock = "identity-directory-liveness";

    /// <summary>The longest a cached answer is trusted: what a gateway that missed a revocation can get wrong, and for how long.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>How often a gateway renews its subscription to the registry.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(20);

    /// <summary>How long after its last confirmed subscription a gateway still trusts its cache.</summary>
    public static readonly TimeSpan Trusted = 2 * Refresh;

    /// <summary>How long the registry keeps a gateway that stopped renewing: longer than it trusts its cache.</summary>
    public static readonly TimeSpan Forgotten = 3 * Refresh;
}
