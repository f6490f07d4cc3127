using IdentityDirectory.Gateway.Hosting;
using System.Net;

namespace IdentityDirectory.GatewayHost;

/// <summary>
/// How a gateway finds the silos: through the cluster's membership table on PostgreSQL (<c>Storage:Provider</c>
/// <c>Postgres</c>, <c>Storage:ConnectionString</c>), or, for an embedded silo on the same machine, at its
/// gateway port (<c>Storage:Provider</c> <c>Sqlite</c>, <c>Orleans:GatewayPort</c>). The cluster and service
/// ids must be the silos' (<c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c>). <c>Orleans:Messaging:*</c> sets Orleans'
/// client messaging options: its <c>ResponseTimeout</c> (3 s in appsettings.json) bounds how long a call in flight
/// through a silo that died waits before it fails, since the client does not fail it when the connection drops.
/// </summary>
public static class ClusterClientExtensions
{
    public static WebApplicationBuilder AddClusterClient(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var provider = configuration["Storage:Provider"] ?? "Postgres";
        builder.UseOrleansClient(client =>
        {
            if (TelemetryExtensions.IsEnabled(configuration))
                client.AddActivityPropagation();
            client.Configure<Orleans.Configuration.ClusterOptions>(options =>
            {
                options.ClusterId = configuration["Orleans:ClusterId"] ?? "identity-directory";
                options.ServiceId = configuration["Orleans:ServiceId"] ?? "identity-directory";
            });
            client.Configure<Orleans.Configuration.ClientMessagingOptions>(configuration.GetSection("Orleans:Messaging"));
            if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
            {
                var connectionString = HostStart.PostgresConnectionString(configuration);
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                });
            }
            else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, configuration.GetValue("Orleans:GatewayPort", 30000)));
            else
                throw new InvalidSettingsException($"Storage:Provider '{provider}' is not one of Postgres, Sqlite.");
        });
        return builder;
    }
}
