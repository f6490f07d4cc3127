namespace IdentityDirectory.Tokens;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenInfo")]
public sealed record TokenInfo(
    [property: Id(0)] string TokenId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset? LastUsedAt);

/// <summary>
/// What a valid token opens: its directory partition, and until when a silo may answer for the token
/// without asking the grain again (<see cref="TokenCache"/>): never past the token's expiry (T-5), nor
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
    /// Revokes the token at once (T-6): when this returns, the token is refused on every silo, whose
    /// <see cref="TokenCache"/> has dropped it. Stops its expiry notifications.
    /// </summary>
    Task RevokeAsync();

    /// <summary>
    /// Emits every expiry notification (T-8) whose scheduled instant has passed and was not emitted
    /// yet. The token's Orleans reminder calls this; it is idempotent.
    /// </summary>
    Task EmitDueNotificationsAsync();
}
