using System.Diagnostics.Metrics;
using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// One database of one engine for a test class. <see cref="Store"/> is the store the class's tests share;
/// <see cref="Open"/> opens another on the same data, as a second silo process would. Tests use fresh
/// tenant ids, so they never see each other's rows.
/// </summary>
public abstract class StoreEngine : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The meters of this engine's stores alone, so a listener can tell their measurements from other tests'.</summary>
    public IMeterFactory Meters { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public IDirectoryStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = Open();
    }

    /// <summary>A store of its own on the engine's database; closed with the engine, or earlier by the caller.</summary>
    public IDirectoryStore Open()
    {
        var (store, resources) = OpenStore(new DirectoryMetrics(Meters));
        _opened.Add((IAsyncDisposable)store);
        _opened.AddRange(resources);
        return store;
    }

    protected abstract Task CreateDatabaseAsync();

    /// <returns>The store and what it holds that must be closed after it.</returns>
    protected abstract (IDirectoryStore Store, IAsyncDisposable[] Resources) OpenStore(DirectoryMetrics metrics);

    protected abstract void DeleteDatabase();

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened)
            await opened.DisposeAsync();
        DeleteDatabase();
    }
}

public sealed class SqliteStoreEngine : StoreEngine
{
    private readonly TemporaryStoreFile _file = new("store-contract");

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override (IDirectoryStore, IAsyncDisposable[]) OpenStore(DirectoryMetrics metrics) =>
        (new SqliteDirectoryStore(_file.ConnectionString, metrics), []);

    protected override void DeleteDatabase() => _file.Delete();
}

/// <summary>A database of the test run's PostgreSQL server; each store has its own data source (connection pool), as each process would.</summary>
public sealed class PostgresStoreEngine : StoreEngine
{
    public string ConnectionString { get; private set; } = "";

    protected override async Task CreateDatabaseAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync("store");

    protected override (IDirectoryStore, IAsyncDisposable[]) OpenStore(DirectoryMetrics metrics)
    {
        var dataSource = PostgresDirectoryStore.CreateDataSource(ConnectionString);
        return (new PostgresDirectoryStore(dataSource, metrics), [dataSource]);
    }

    protected override void DeleteDatabase() => NpgsqlConnection.ClearAllPools();
}
