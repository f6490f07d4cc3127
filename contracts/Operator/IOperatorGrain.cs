namespace IdentityDirectory.Operator;

/// <summary>What the first start of a cluster created; secrets are present only on that start.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.OperatorBootstrap")]
public sealed record OperatorBootstrap(
    [property: Id(0)] string? OperatorKey,
    [property: Id(1)] string? DemoTenantId);

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantIdPage")]
public sealed record TenantIdPage(
    [property: Id(0)] IReadOnlyList<string> TenantIds,
    [property: Id(1)] long? Next);

/// <summary>The hosting operator's credentials, one per cluster (key <see cref="Key"/>).</summary>
public interface IOperatorGrain : IGrainWithStringKey
{
    const string Key = "operator";

    /// <summary>Creates the operator key on first call and returns it once (O-1); later calls return no secret.</summary>
    Task<OperatorBootstrap> BootstrapAsync();

    /// <summary>
    /// Replaces the operator key and returns the new one, once; the old key stops opening anything at once,
    /// on every silo, since every check asks this grain.
    /// </summary>
    Task<string> RotateKeyAsync();

    /// <summary>Constant-time check of a presented operator key.</summary>
    Task<bool> VerifyKeyAsync(string key);

    /// <summary>
    /// A value that changes whenever the key changes and tells nothing about the key: a console session
    /// keeps the stamp of the key it was opened with and ends once the key was rotated.
    /// </summary>
    Task<string> GetKeyStampAsync();

    /// <summary>Tenant ids in creation order after a position returned as <c>Next</c> (0 = from the start).</summary>
    Task<TenantIdPage> ListTenantsAsync(long after, int count);

    /// <summary>Remembers the demo tenant of the embedded mode, so a restart finds it again.</summary>
    Task SetDemoTenantAsync(string tenantId);
}
