using IdentityDirectory.Gateway.Hosting;
using System.Net;
using System.Net.Sockets;
using IdentityDirectory.Store;
using Npgsql;
using Orleans.Configuration;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// Cluster mode (<c>Storage:Provider</c> = <c>Postgres</c>): silos find each other, keep grain state and reminders in
/// PostgreSQL through the Orleans ADO.NET providers, all on one <see cref="NpgsqlDataSource"/> per process. The settings
/// and the failover tuning are described in docs/operations.md ("Cluster configuration").
/// </summary>
public static class ClusterSiloExtensions
{
    public const string ServiceId = "identity-directory";
    public const string DefaultClusterId = "identity-directory";

    /// <summary>
    /// The silo of this process in the mode <c>Storage:Provider</c> names: <c>Sqlite</c> (the default, the embedded
    /// mode of README command 1) or <c>Postgres</c> (cluster mode).
    /// </summary>
    public static WebApplicationBuilder AddDirectorySilo(this WebApplicationBuilder builder)
    {
        ServerGcNoteFilter.Install(builder.Services); // no false alarms at a silo's start (docs/decisions.md, Observability)
        SiloStartClock.Install(builder.Services);
        return IsClusterMode(builder.Configuration) ? builder.AddClusterDirectory() : builder.AddEmbeddedDirectory();
    }

    public static bool IsClusterMode(IConfiguration configuration) => configuration["Storage:Provider"] switch
    {
        null or "" => false,
        var name when name.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => false,
        var name when name.Equals("Postgres", StringComparison.OrdinalIgnoreCase) => true,
        var name => throw new InvalidSettingsException($"Storage:Provider '{name}' is not known: use Sqlite or Postgres."),
    };

    /// <summary>A silo of a cluster on PostgreSQL, with the co-hosted gateway's services.</summary>
    public static WebApplicationBuilder AddClusterDirectory(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = HostStart.PostgresConnectionString(configuration);
        builder.Services.BindDirectoryOptions();
        builder.UseOrleans(silo =>
        {
            silo.ConfigureCluster(configuration);
            silo.AddPostgresDirectory(connectionString);
            silo.AddDiagnostics(configuration);
        });
        if (!builder.Services.Any(service => service.ServiceType == typeof(IDirectoryStore)))
            throw new InvalidOperationException("Storage:Provider is Postgres, but this build registers no directory store on PostgreSQL.");
        return builder;
    }

    /// <summary>
    /// Cluster and service ids, the silo's and gateway's ports and the address other silos and clients reach it at
    /// (<c>Orleans:AdvertisedAddress</c>, an IP address or a host name; the host's own address when absent), and the
    /// membership probe settings (<see cref="ConfigureFailover"/>).
    /// </summary>
    public static ISiloBuilder ConfigureCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = configuration["Orleans:ClusterId"] ?? DefaultClusterId;
            options.ServiceId = configuration["Orleans:ServiceId"] ?? ServiceId;
        });
        var siloPort = configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        var advertised = configuration["Orleans:AdvertisedAddress"];
        if (string.IsNullOrWhiteSpace(advertised))
            silo.ConfigureEndpoints(siloPort, gatewayPort, AddressFamily.InterNetwork);
        else if (IPAddress.TryParse(advertised, out var address))
            silo.ConfigureEndpoints(address, siloPort, gatewayPort);
        else
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, AddressFamily.InterNetwork);
        return silo.ConfigureFailover(configuration);
    }

    /// <summary>
    /// Membership probes tuned so a dead silo is declared dead in about a second instead of Orleans' ten (measured in
    /// docs/operations.md): a probe times out after 1 s and two missed probes make a suspicion. Heartbeats and table reads
    /// every 5 s let a silo that missed the gossip learn of the death from the table soon. Any
    /// <c>Orleans:Membership:*</c> setting (a ClusterMembershipOptions property) overrides these.
    /// </summary>
    public static ISiloBuilder ConfigureFailover(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 2;
            options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        return silo;
    }

    /// <summary>
    /// Everything a silo keeps in PostgreSQL: our Orleans schema (applied as the silo starts), membership, grain storage
    /// and reminders through the ADO.NET providers, and the services every silo needs. One data source serves them all.
    /// </summary>
    public static ISiloBuilder AddPostgresDirectory(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddPostgresDirectoryStore(connectionString); // and the process's one data source, disposed with the host
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaStartup>();
        silo.Services.AddDirectoryServices();
        silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((clustering, dataSource) =>
        {
            clustering.Invariant = PostgresOrleansSchema.Invariant;
            clustering.DataSource = dataSource;
        }));
        silo.AddExactKeyAdoNetGrainStorage(DirectoryStorage.Name, options => options.Configure<NpgsqlDataSource>((storage, dataSource) =>
        {
            storage.Invariant = PostgresOrleansSchema.Invariant;
            storage.DataSource = dataSource;
        }));
        silo.UseAdoNetReminderService(options => options.Configure<NpgsqlDataSource>((reminders, dataSource) =>
        {
            reminders.Invariant = PostgresOrleansSchema.Invariant;
            reminders.DataSource = dataSource;
        }));
        return silo;
    }

    /// <summary>Applies <see cref="PostgresOrleansSchema"/> before membership, storage or reminders read their statements.</summary>
    private sealed class PostgresSchemaStartup(NpgsqlDataSource dataSource) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, cancellation => PostgresOrleansSchema.ApplyAsync(dataSource, cancellation));
    }
}
