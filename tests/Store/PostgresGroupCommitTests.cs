using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using Npgsql;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// PostgreSQL's group-commit writer on its own: a group commits in one transaction, a write that fails
/// rolls back alone, no write is answered before its commit, and groups of writers in different
/// processes that share tenants never wait for each other in a cycle.
/// </summary>
public sealed class PostgresGroupCommitTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("group");
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var create = _dataSource.CreateCommand(
            "CREATE TABLE names (name text PRIMARY KEY); CREATE TABLE counters (tenant text PRIMARY KEY, n integer NOT NULL)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    // Rules R-USR-8, P-1 (a taken value is refused) at the writer: the writes queued with a refused one commit.
    [Fact]
    public async Task AFailingWriteRollsBackAloneWhileTheRestOfItsGroupCommits()
    {
        var groups = new List<int>();
        var writer = Writer(lanes: 1, groups);
        var names = Enumerable.Range(0, 120).Select(i => i % 4 == 3 ? $"n{i - 1}" : $"n{i}").ToList();

        var outcomes = await Task.WhenAll(names.Select(name => StoreRows.OutcomeOf(writer.WriteAsync("t", (c, tx) => InsertAsync(c, tx, name)))));
        await writer.StopAsync();

        Assert.Equal(90, outcomes.Count(outcome => outcome is null));
        Assert.All(outcomes.OfType<PostgresException>(), e => Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState));
        Assert.Equal(names.Distinct().Order(StringComparer.Ordinal), await StoredNamesAsync());
        Assert.Equal(120, groups.Sum());
        Assert.True(groups.Count < 60, $"{groups.Count} groups for 120 writes queued at once");
    }

    // DESIGN §2 and §4 (durability): a write is answered only once its group committed. The test holds the tenant's lock, so nothing of it can commit.
    [Fact]
    public async Task AWriteIsAnsweredOnlyOnceItsGroupCommitted()
    {
        var writer = Writer(lanes: 1, []);
        await using var other = await _dataSource.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({DirectoryRules.PostgresLocks.Audit}, hashtext('held'))", other))
            await hold.ExecuteNonQueryAsync();

        var write = writer.WriteAsync("held", (c, tx) => InsertAsync(c, tx, "held"));
        await using (var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", other))
        {
            while ((long)(await waiting.ExecuteScalarAsync())! == 0)
                await Task.Yield(); // until the group waits for the tenant's lock
        }
        Assert.False(write.IsCompleted);

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DirectoryRules.PostgresLocks.Audit}, hashtext('held'))", other))
            await release.ExecuteNonQueryAsync();
        Assert.Equal(1, await write);
        await writer.StopAsync();
        Assert.Equal(["held"], await StoredNamesAsync());
    }

    // DESIGN §2 (several silos write at once): groups of two processes' writers, each group spanning
    // tenants in whatever order its writes came, take the tenants' locks in one order, so none deadlocks.
    [Fact]
    public async Task GroupsOfTwoProcessesSharingTenantsNeverDeadlock()
    {
        await using var second = NpgsqlDataSource.Create(_connectionString);
        var writers = new[] { Writer(lanes: 1, []), new PostgresGroupCommitWriter(second, 1, DirectoryRules.AuditNumbering.PostgresLock, _ => { }) };
        var tenants = new[] { "a", "b", "c", "d" };

        // Each process queues its writes in the opposite tenant order, so unordered locks would cross.
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
        {
            var tenant = tenants[i % 2 == 0 ? i / 2 % 4 : 3 - i / 2 % 4];
            return writers[i % 2].WriteAsync(tenant, (c, tx) => CountAsync(c, tx, tenant));
        }));
        foreach (var writer in writers)
            await writer.StopAsync();

        await using var counts = _dataSource.CreateCommand("SELECT sum(n) FROM counters");
        Assert.Equal(400L, await counts.ExecuteScalarAsync());
        await using var deadlocks = _dataSource.CreateCommand("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
        Assert.Equal(0L, await deadlocks.ExecuteScalarAsync());
    }

    private PostgresGroupCommitWriter Writer(int lanes, List<int> groups) =>
        new(_dataSource, lanes, DirectoryRules.AuditNumbering.PostgresLock, size =>
        {
            lock (groups)
                groups.Add(size);
        });

    private static async Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name)
    {
        await using var command = new NpgsqlCommand("INSERT INTO names (name) VALUES (@name)", connection, transaction) { Parameters = { new("name", name) } };
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Counts one write of the tenant in its counter row, which the write locks until the commit.</summary>
    private static async Task<int> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO counters (tenant, n) VALUES (@tenant, 1) ON CONFLICT (tenant) DO UPDATE SET n = counters.n + 1", connection, transaction)
        {
            Parameters = { new("tenant", tenant) },
        };
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> StoredNamesAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT name FROM names ORDER BY name COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }
}
