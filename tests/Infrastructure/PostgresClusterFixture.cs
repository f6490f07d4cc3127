using IdentityDirectory.Silo.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Hosting;
using Orleans.Runtime.Services;
using Orleans.TestingHost;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// Three in-process silos of one cluster, with a cluster id of their own, on a database of their own on the test run's
/// PostgreSQL server, set up as cluster mode sets up a silo: membership, grain state and reminders through our schema,
/// the directory store on PostgreSQL, the product's options from settings and its failover tuning. Product grains read
/// one <see cref="FakeTimeProvider"/> (<see cref="Time"/>); Orleans' own areas stay on real time. Reminders may tick
/// every second here (Orleans' floor is a minute), token expiry checks among them, and health events go to
/// <see cref="Webhook"/>. Tests that kill a silo start a new one, so every test finds three. The classic TestCluster is
/// used because only it can leave membership to the silos' own provider instead of the test host's table.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private const string ConnectionStringSetting = "Storage:ConnectionString";
    private const string ClockSetting = "Test:Clock";

    /// <summary>The clocks of the running fixtures, by the id their silos find in their settings (silo configurators are made by type).</summary>
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    private readonly string _clockId = Guid.NewGuid().ToString("N");

    public string ConnectionString { get; private set; } = null!;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The operator's webhook (<c>Operator:WebhookUrl</c>) of this cluster.</summary>
    public WebhookReceiver Webhook { get; } = new();

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
        await Webhook.InitializeAsync();
        Clocks[_clockId] = Time;
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringSetting] = ConnectionString;
        builder.Properties[ClockSetting] = _clockId;
        builder.Properties["Operator:WebhookUrl"] = Webhook.Url;
        builder.Properties["Tokens:CheckPeriod"] = "00:00:01";
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

    /// <summary>The silo whose reminder service keeps the grain's reminders: the one Orleans sends the grain's reminder calls to.</summary>
    public SiloHandle ReminderSiloOf(IAddressable grain)
    {
        var silo = new ReminderOwner(Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress)).Of(grain.GetGrainId());
        return Cluster.Silos.Single(handle => handle.SiloAddress.Equals(silo));
    }

    public IGrainFactory GrainsOf(SiloHandle silo) => Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IGrainFactory>();

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        await Webhook.DisposeAsync();
        Clocks.TryRemove(_clockId, out _);
    }

    private sealed class ReminderOwner(IServiceProvider silo) : GrainServiceClient<IReminderService>(silo)
    {
        public SiloAddress Of(GrainId grainId) =>
            SystemTargetGrainId.TryParse(GetGrainService(grainId).GetGrainId(), out var service)
                ? service.GetSiloAddress()
                : throw new InvalidOperationException("The reminder service is not a system target.");
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.BindDirectoryOptions();
            silo.AddPostgresDirectory(silo.Configuration[ConnectionStringSetting]!);
            silo.ConfigureFailover(silo.Configuration);
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // Added (not tried), so it wins over the system clock AddPostgresDirectory tries. Orleans' own areas
            // (membership, messaging, reminders) stay on real time: a membership clock a year ahead evicts silos.
            silo.Services.AddSingleton<TimeProvider>(Clocks[silo.Configuration[ClockSetting]!]);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
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
