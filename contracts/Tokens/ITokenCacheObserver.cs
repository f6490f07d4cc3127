namespace IdentityDirectory.Tokens;

/// <summary>A gateway's cache of validated tokens, as the cluster reaches it to revoke a token (T-6).</summary>
public interface ITokenCacheObserver : IGrainObserver
{
    /// <summary>Forgets the token <paramref name="tokenKey"/>: the next request with it asks its grain.</summary>
    Task DropAsync(string tokenKey);
}
