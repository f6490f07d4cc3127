namespace IdentityDirectory.Tokens;

/// <summary>A gateway, as the cluster reaches it to make its caches forget what changed.</summary>
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>Forgets the token <paramref name="tokenKey"/> (T-6): the next request with it asks its grain.</summary>
    Task DropTokenAsync(string tokenKey);

    /// <summary>Forgets the tenant's settings (O-3): the next request of the tenant reads them again.</summary>
    Task ForgetTenantAsync(string tenantId);
}
