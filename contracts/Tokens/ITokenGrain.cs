namespace IdentityDirectory.Tokens;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenInfo")]
public sealed record TokenInfo(
    [property: Id(0)] string TokenId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset? LastUsedAt);

/// <summary>
/// What a valid token opens: its directory partition, and until when a gateway may answer for the token
/// without asking the grain again (its token cache): never past the token's expiry (T-5), nor
/// past the moment its last use is due to be recorded again.
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenGrant")]
public sealed record TokenGrant(
    [property: Id(0)] string Partition,
    [property: Id(1)] DateTimeOffset TrustUntil);

/// <summary>One SCIM bearer token of one tenant, keyed <c>{tenantId}/{tokenId}</c>.</summary>
public interface ITokenGrain : IGrainWithStringKey
{
    /// <summary>Generates the secret for the given directory partition, stores only its salted hash, and returns the secret once (T-2).</summary>
    Task<string> IssueAsync(string partition);

    /// <summary>
    /// What the token opens, only for the right secret of an existing, unexpired token (T-5, T-10);
    /// otherwise null. Constant-time.
    /// </summary>
    Task<TokenGrant?> ValidateAsync(string secret);

    Task<TokenInfo?> DescribeAsync();

    /// <summary>
    /// Revokes the token (T-6) and stops its expiry notifications. True when every gateway has
    /// confirmed that its token cache dropped the token (<see cref="IGatewayRegistryGrain"/>), so the token is
    /// refused everywhere at once; false when some gateway did not confirm: the token is refused by this grain
    /// already, and such a gateway refuses it once its cached answer's lease runs out (<see cref="TokenCacheTimes.Lease"/>).
    /// </summary>
    Task<bool> RevokeAsync();

    /// <summary>
    /// Emits every expiry notification (T-8) whose scheduled instant has passed and was not emitted
    /// yet. The token's Orleans reminder calls this; it is idempotent.
    /// </summary>
    Task EmitDueNotificationsAsync();
}
