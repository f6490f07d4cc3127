using IdentityDirectory.Directory;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// First start of the embedded product: creates the operator key and a demo tenant (ExternalIdp,
/// provisioning enabled) and prints the secrets once. Later starts print where things are and say
/// that the secrets were shown before; only their hashes are stored.
/// </summary>
public sealed class EmbeddedBootstrap(IGrainFactory grains, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Embedded:Bootstrap", true))
            lifetime.ApplicationStarted.Register(() => _ = RunAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync()
    {
        var baseUrl = BaseUrl();
        var operatorGrain = grains.GetGrain<IOperatorGrain>(IOperatorGrain.Key);
        var bootstrap = await operatorGrain.BootstrapAsync();
        string? token = null;
        var tenantId = bootstrap.DemoTenantId;
        if (tenantId is null)
        {
            tenantId = Guid.NewGuid().ToString();
            var directory = grains.GetGrain<IDirectoryGrain>(tenantId);
            await directory.CreateAsync(new TenantSpec("Demo", IdentitySource.ExternalIdp, "Demo IdP"));
            token = (await directory.EnableProvisioningAsync(baseUrl)).Token;
            await operatorGrain.SetDemoTenantAsync(tenantId);
        }

        Console.WriteLine($"Admin URL: {baseUrl}/admin/");
        Console.WriteLine(bootstrap.OperatorKey is { } key
            ? $"Operator key: {key}"
            : "Operator key: shown at first start (only its hash is stored)");
        Console.WriteLine($"SCIM endpoint: {baseUrl}/{tenantId}/scim/v2");
        Console.WriteLine(token is not null
            ? $"SCIM token: {token}"
            : "SCIM token: shown at first start (only its hash is stored; generate a new one with the admin API)");
    }

    private string BaseUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        return address.Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://localhost", "://127.0.0.1").TrimEnd('/');
    }
}
