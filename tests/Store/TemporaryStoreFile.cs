using IdentityDirectory.Directory;
using System.Diagnostics.Metrics;
using System.Text;
using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Users;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Tests.Store;

/// <summary>A SQLite store file of one test class, in the temporary folder, removed with its WAL and shared memory.</summary>
public sealed class TemporaryStoreFile(string name)
{
    public string ConnectionString { get; } = $"Data Source={Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.db")}";

    /// <summary>The meters of this file's stores alone, so a listener can tell their measurements from other tests'.</summary>
    public IMeterFactory Meters { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public SqliteDirectoryStore Open() => new(ConnectionString, new DirectoryMetrics(Meters));

    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        var path = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(file);
    }
}

/// <summary>Tests of one store, opened on a <see cref="TemporaryStoreFile"/> before each test and removed after it.</summary>
public abstract class StoreTests(string name) : IAsyncLifetime
{
    private readonly TemporaryStoreFile _file = new(name);

    protected SqliteDirectoryStore Store { get; private set; } = null!;

    protected string StoreConnectionString => _file.ConnectionString;

    protected IMeterFactory StoreMeters => _file.Meters;

    public Task InitializeAsync()
    {
        Store = _file.Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        _file.Delete();
    }

    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A first version of a user row: userName and email alike, externalId <c>ext-{id}</c>.</summary>
    protected static UserRow NewUserRow(string id, string userName) =>
        new(id, new UserKeys(userName, $"ext-{id}", userName, null), 1, At, At,
            Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","userName":"{{userName}}"}"""), "{}"u8.ToArray());

    protected static AuditEntry CreateUserAudit(string id) => new(At, "test", "CreateUser", $"User/{id}", null);
}
