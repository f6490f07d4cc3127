using IdentityDirectory.Directory;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// First start of the product (embedded, or the first gateway of a cluster): creates the operator key and a
/// demo tenant (ExternalIdp, provisioning enabled) and prints the secrets once. Later starts, and gateways
/// that start beside the first, print where things are and say that the secrets were shown before; only
/// their hashes are stored. A start with <c>--Operator:ResetKey true</c> replaces the operator key and prints
/// the new one: the way back in for whoever runs the product when the key is lost. Off with
/// <c>Bootstrap:Enabled false</c>.
/// </summary>
public sealed class FirstStart(IGrainFactory grains, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Bootstrap:Enabled", true))
            lifetime.ApplicationStarted.Register(() => _ = RunAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync()
    {
        foreach (var line in await DescribeAsync(grains, BaseUrl(), configuration.GetValue("Operator:ResetKey", false)))
            System.Console.WriteLine(line); // System's: IdentityDirectory.Gateway.Console is the operator console
    }

    /// <summary>
    /// What a start prints: on the first, the secrets; later, where things are. A demo tenant that the
    /// operator deleted, or whose provisioning was turned off, is named as such rather than pointed at.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(IGrainFactory grains, string baseUrl, bool resetOperatorKey = false)
    {
        var operatorGrain = grains.Reference<IOperatorGrain>(IOperatorGrain.Key);
        var bootstrap = await operatorGrain.BootstrapAsync();
        var operatorKey = bootstrap.OperatorKey ?? (resetOperatorKey ? await operatorGrain.RotateKeyAsync() : null);
        var lines = new List<string>
        {
            $"Admin URL: {baseUrl}/admin/",
            operatorKey is { } key ? $"Operator key: {key}" : "Operator key: shown at first start (only its hash is stored)",
        };
        if (bootstrap.DemoTenantId is not { } tenantId)
        {
            // Only the start that created the operator key creates the demo tenant, so gateways starting together make one.
            if (bootstrap.OperatorKey is null)
            {
                lines.Add("Demo tenant: none; create tenants with the admin API");
                return lines;
            }
            tenantId = Guid.NewGuid().ToString();
            var directory = grains.Reference<IDirectoryGrain>(tenantId);
            await directory.CreateAsync(new TenantSpec("Demo", IdentitySource.ExternalIdp, "Demo IdP"));
            var grant = await directory.EnableProvisioningAsync(baseUrl);
            await operatorGrain.SetDemoTenantAsync(tenantId);
            lines.Add($"SCIM endpoint: {grant.ScimEndpoint}");
            lines.Add($"SCIM token: {grant.Token}");
            return lines;
        }
        var tenant = await grains.Reference<IDirectoryGrain>(tenantId).GetAsync();
        if (tenant is null)
            lines.Add($"Demo tenant {tenantId}: deleted; create tenants with the admin API");
        else if (!tenant.ProvisioningEnabled)
            lines.Add($"Demo tenant {tenantId}: automatic provisioning is off; enable it with the admin API for a SCIM endpoint and token");
        else
        {
            lines.Add($"SCIM endpoint: {ProvisioningGrant.EndpointOf(baseUrl, tenantId)}");
            lines.Add("SCIM token: shown at first start (only its hash is stored; generate a new one with the admin API)");
        }
        return lines;
    }

    /// <summary>Where clients reach this gateway: <c>PublicBaseUrl</c> when set (behind a proxy or a port mapping), else the address it listens on.</summary>
    private string BaseUrl()
    {
        if (configuration["PublicBaseUrl"] is { Length: > 0 } configured)
            return configured.TrimEnd('/');
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        return address.Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://localhost", "://127.0.0.1").TrimEnd('/');
    }
}
