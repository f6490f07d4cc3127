using IdentityDirectory.Gateway.Hosting;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// What a silo process serves (<c>Role</c>): <c>both</c> (the default) hosts a gateway beside the silo, as the
/// embedded product does; <c>silo</c> serves only the silo (and its health endpoints), for clusters whose
/// gateways run apart (gateway/, an Orleans client).
/// </summary>
public static class SiloRole
{
    public static bool HostsGateway(IConfiguration configuration) => (configuration["Role"] ?? "both").ToLowerInvariant() switch
    {
        "both" => true,
        "silo" => false,
        var role => throw new InvalidSettingsException($"Role '{role}' is not one of both, silo (a gateway alone runs from gateway/)."),
    };
}
