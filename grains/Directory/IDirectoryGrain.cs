namespace IdentityDirectory.Directory;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSpec")]
public sealed record TenantSpec(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] IdentitySource Source,
    [property: Id(2)] string? ExternalIdpName = null);

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string IdentityStoreId,
    [property: Id(3)] IdentitySource Source,
    [property: Id(4)] bool ProvisioningEnabled,
    [property: Id(5)] IReadOnlyList<string> TokenIds,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>The endpoint and first token, returned once when provisioning is enabled (T-1).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ProvisioningGrant")]
public sealed record ProvisioningGrant(
    [property: Id(0)] string ScimEndpoint,
    [property: Id(1)] string Token);

/// <summary>One tenant's directory, keyed by tenant id: the authority for tenant-wide switches.</summary>
public interface IDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant (O-2); 409 when it exists.</summary>
    Task<TenantInfo> CreateAsync(TenantSpec spec);

    /// <summary>The tenant, or null when there is none.</summary>
    Task<TenantInfo?> GetAsync();

    /// <summary>Turns automatic provisioning on and issues the first token (T-1, T-3, I-9).</summary>
    Task<ProvisioningGrant> EnableProvisioningAsync(string publicBaseUrl);

    /// <summary>Issues another token (T-2..T-4).</summary>
    Task<string> CreateTokenAsync();
}
