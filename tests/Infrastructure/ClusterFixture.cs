using IdentityDirectory.Silo.Hosting;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// Two in-process silos on one shared SQLite file (grain state and directory store), so tests can stop a silo and
/// read state back from storage. Product grains on both silos read one <see cref="FakeTimeProvider"/>
/// (<see cref="Time"/>): advance it, never sleep.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly string _directory = TestDirectories.New();

    public ClusterFixture()
    {
        DatabasePath = Path.Combine(_directory, "cluster.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>
    /// The grain factory of a running silo. Tests that stop silos work through it: after a silo stopped, the external
    /// client may still pick that silo's gateway for its next call, which fails (Orleans client behaviour).
    /// </summary>
    public IGrainFactory SiloGrains => Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>A PostgreSQL database for the directory store, in place of the SQLite file; each silo connects with a pool of its own.</summary>
    protected string? DirectoryDatabase { get; set; }

    public virtual async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteDirectory(ConnectionString);
            if (DirectoryDatabase is not null)
                silo.Services.AddPostgresDirectoryStore(DirectoryDatabase);
            // Added (not tried), so it wins over the TryAdd defaults of AddSqliteDirectory and of Orleans.
            silo.Services.AddSingleton<TimeProvider>(Time);
            // Orleans' own areas (membership, messaging, timers, reminders, ...) stay on real time: a membership
            // clock ahead of the silo generations, or advanced by a year, makes the silos evict each other.
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>A gateway that is a plain Orleans client of this cluster, connected: its subscription is confirmed.</summary>
    public async Task<ClientGateway> StartGatewayAsync()
    {
        var subscription = new ClusterSubscription(Client, TimeProvider.System, NullLogger<ClusterSubscription>.Instance);
        await subscription.StartAsync(CancellationToken.None);
        await subscription.Connected;
        return new ClientGateway(subscription, new TokenCache(Time, subscription));
    }

    /// <summary>The directory store of the first silo, for asking what the grains stored.</summary>
    public IDirectoryStore Store => Cluster.GetSiloServiceProvider().GetRequiredService<IDirectoryStore>();

    /// <summary>A connection to the shared database file, for reading what the silos stored.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a gateway that is a client of the cluster holds: its subscription and its token cache.</summary>
public sealed record ClientGateway(ClusterSubscription Subscription, TokenCache Tokens) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Subscription.StopAsync(CancellationToken.None);
        Subscription.Dispose();
    }
}

/// <summary>The cluster with the directory store on PostgreSQL, as in cluster mode: both silos write to one database.</summary>
public sealed class PostgresDirectoryClusterFixture : ClusterFixture
{
    public override async Task InitializeAsync()
    {
        DirectoryDatabase = await PostgresServer.CreateDatabaseAsync("cluster");
        await base.InitializeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Failover tests stop silos, so they get a cluster of their own and never disturb the shared one.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "failover";
}
