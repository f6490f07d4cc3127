namespace IdentityDirectory.Tokens;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenInfo")]
public sealed record TokenInfo(
    [property: Id(0)] string TokenId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset? LastUsedAt);

/// <summary>One SCIM bearer token of one tenant, keyed <c>{tenantId}/{tokenId}</c>.</summary>
public interface ITokenGrain : IGrainWithStringKey
{
    /// <summary>Generates the secret for the given directory partition, stores only its salted hash, and returns the secret once (T-2).</summary>
    Task<string> IssueAsync(string partition);

    /// <summary>
    /// The directory partition the token opens, only for the right secret of an existing, unexpired
    /// token (T-5, T-10); otherwise null. Constant-time.
    /// </summary>
    Task<string?> ValidateAsync(string secret);

    Task<TokenInfo?> DescribeAsync();

    /// <summary>Revokes the token at once (T-6) and stops its expiry notifications.</summary>
    Task RevokeAsync();

    /// <summary>
    /// Emits every expiry notification (T-8) whose scheduled instant has passed and was not emitted
    /// yet. The token's Orleans reminder calls this; it is idempotent.
    /// </summary>
    Task EmitDueNotificationsAsync();
}
