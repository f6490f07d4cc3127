using IdentityDirectory.Silo.Hosting;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// Three in-process silos of one cluster, with a cluster id of their own, on a database of their own on the test run's
/// PostgreSQL server: membership, grain state and reminders through our schema, with the product's failover tuning.
/// Reminders may tick every second here (Orleans' floor is a minute). Tests that kill a silo start a new one, so
/// every test finds three. The classic TestCluster is used because only it can leave membership to the silos'
/// own provider instead of the test host's table.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private const string ConnectionStringSetting = "Storage:ConnectionString";

    public string ConnectionString { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>
    /// The grain factory of a live silo, as a co-hosted gateway calls grains. The test client may still pick the gateway
    /// of a silo a test killed until its gateway list refreshes, so tests call through a silo.
    /// </summary>
    public IGrainFactory Grains => GrainsOf(Cluster.Silos[0]);

    public async Task InitializeAsync()
    {
        // The silos, their replacements and the client each pool connections: keep them well under max_connections.
        ConnectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("cluster")) { MaxPoolSize = 8 }.ToString();
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringSetting] = ConnectionString;
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        builder.AddClientBuilderConfigurator<PostgresClient>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The silo that hosts the grain's activation.</summary>
    public SiloHandle HostOf(IAddressable grain)
    {
        Assert.True(Cluster.TryGetGrainContext(grain.GetGrainId(), out var context), "the grain has no activation");
        return Cluster.Silos.Single(silo => silo.SiloAddress.Equals(context!.Address.SiloAddress));
    }

    /// <summary>The grain factory of a silo other than <paramref name="silo"/>: the one a co-hosted gateway that survives it would use.</summary>
    public IGrainFactory GrainsOfASiloOtherThan(SiloHandle silo) => GrainsOf(Cluster.Silos.First(other => other != silo));

    /// <summary>When, on <paramref name="clock"/>, a silo that survives <paramref name="silo"/> sees it declared dead.</summary>
    public async Task<TimeSpan> DeclaredDeadAsync(SiloHandle silo, Stopwatch clock)
    {
        var survivor = Cluster.GetSiloServiceProvider(Cluster.Silos.First(other => other != silo).SiloAddress);
        await foreach (var snapshot in survivor.GetRequiredService<IClusterMembershipService>().MembershipUpdates)
        {
            if (snapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Dead)
                return clock.Elapsed;
        }
        throw new InvalidOperationException("The membership updates ended.");
    }

    private IGrainFactory GrainsOf(SiloHandle silo) => Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IGrainFactory>();

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddPostgresDirectory(silo.Configuration[ConnectionStringSetting]!);
            silo.ConfigureFailover(silo.Configuration);
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class PostgresClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = PostgresOrleansSchema.Invariant;
                options.ConnectionString = configuration[ConnectionStringSetting];
            });
    }
}

/// <summary>Tests on the PostgreSQL cluster kill silos, so they share it with no other collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres-cluster";
}
