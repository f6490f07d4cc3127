using IdentityDirectory.Scim;

namespace IdentityDirectory.Tokens;

public sealed class TokenGrain(
    [PersistentState("token", DirectoryStorage.Name)] IPersistentState<TokenState> token,
    TimeProvider time) : Grain, ITokenGrain
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>Last use is kept to this precision, so validating a token is not a storage write per request.</summary>
    private static readonly TimeSpan LastUseGranularity = TimeSpan.FromHours(1);

    private string TokenId => ResourceKey.Parse(this.GetPrimaryKeyString()).Id;

    public async Task<string> IssueAsync()
    {
        if (token.State.Exists)
            throw new ScimException(409, null, "The token was already issued.");
        var secret = SecretHasher.NewSecret();
        var (salt, hash) = SecretHasher.Hash(secret);
        var now = time.GetUtcNow();
        token.State = new TokenState { Salt = salt, Hash = hash, CreatedAt = now, ExpiresAt = now + Lifetime };
        await token.WriteStateAsync();
        return ScimToken.Format(TokenId, secret);
    }

    public async Task<bool> ValidateAsync(string secret)
    {
        var state = token.State;
        if (!state.Exists || !SecretHasher.Verify(secret, state.Salt, state.Hash))
            return false;
        var now = time.GetUtcNow();
        if (now > state.ExpiresAt)
            return false;
        if (state.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUseGranularity)
        {
            state.LastUsedAt = now;
            await token.WriteStateAsync();
        }
        return true;
    }

    public Task<TokenInfo?> DescribeAsync() => Task.FromResult(token.State.Exists
        ? new TokenInfo(TokenId, token.State.CreatedAt, token.State.ExpiresAt, token.State.LastUsedAt)
        : null);

    public async Task RevokeAsync()
    {
        if (token.State.Exists)
            await token.ClearStateAsync();
        DeactivateOnIdle();
    }
}
