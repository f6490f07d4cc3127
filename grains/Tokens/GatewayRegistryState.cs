namespace IdentityDirectory.Tokens;

/// <summary>The subscribed gateways' caches; kept so a registry that moved to another silo still reaches them.</summary>
[GenerateSerializer, Alias("IdentityDirectory.GatewayRegistryState")]
public sealed class GatewayRegistryState
{
    [Id(0)] public List<ITokenCacheObserver> Caches { get; set; } = [];
}
