namespace IdentityDirectory.Tokens;

/// <summary>The subscribed gateways; kept so a registry that moved to another silo still reaches them.</summary>
[GenerateSerializer, Alias("IdentityDirectory.GatewayRegistryState")]
public sealed class GatewayRegistryState
{
    [Id(0)] public List<IGatewayObserver> Gateways { get; set; } = [];
}
