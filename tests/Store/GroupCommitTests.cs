using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// SQLite's group-commit writer on its own: writes queued together commit in one transaction, a write
/// that fails in such a group changes nothing while every other write of the group is committed, and
/// no write is answered before its commit.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly TemporaryStoreFile _file = new("group-commit");
    private readonly List<int> _groups = [];
    private SqliteGroupCommitWriter _writer = null!;

    public async Task InitializeAsync()
    {
        await using var connection = new SqliteConnection(_file.ConnectionString);
        connection.Open();
        await using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE names (name TEXT PRIMARY KEY)";
        await create.ExecuteNonQueryAsync();
        _writer = new SqliteGroupCommitWriter(Open, connection => connection.Dispose(), size => _groups.Add(size));
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync();
        _file.Delete();
    }

    // Rules R-USR-8, P-1 (a taken value is refused) at the writer: the writes queued with a refused one commit.
    [Fact]
    public async Task AFailingWriteRollsBackAloneWhileTheRestOfItsGroupCommits()
    {
        // Queued at once, so they reach the writer in a few large groups; every fourth reuses the name queued just before it.
        var names = Enumerable.Range(0, 200).Select(i => i % 4 == 3 ? $"n{i - 1}" : $"n{i}").ToList();

        var outcomes = await Task.WhenAll(names.Select(name => OutcomeOf(_writer.WriteAsync((c, tx) => Insert(c, tx, name)))));

        for (var i = 0; i < names.Count; i++)
        {
            if (i % 4 == 3)
                Assert.IsType<SqliteException>(outcomes[i]);
            else
                Assert.Null(outcomes[i]);
        }
        Assert.Equal(names.Distinct().Order(), await StoredNamesAsync());
        Assert.Equal(200, _groups.Sum());
        Assert.True(_groups.Count < 100, $"{_groups.Count} groups for 200 writes queued at once");
    }

    // DESIGN §2 and §4 (durability): a write is answered only once its transaction committed, so an
    // answer is never ahead of the data. The test holds SQLite's write lock, so nothing can commit.
    [Fact]
    public async Task AWriteIsAnsweredOnlyOnceItsTransactionCommitted()
    {
        await using var other = new SqliteConnection(_file.ConnectionString);
        other.Open();
        using var holdWriteLock = other.CreateCommand();
        holdWriteLock.CommandText = "BEGIN IMMEDIATE";
        holdWriteLock.ExecuteNonQuery();

        var write = _writer.WriteAsync((c, tx) => Insert(c, tx, "held"));
        Assert.False(write.IsCompleted);

        holdWriteLock.CommandText = "COMMIT";
        holdWriteLock.ExecuteNonQuery();
        Assert.Equal(1, await write);
        Assert.Equal(["held"], await StoredNamesAsync());
    }

    [Fact]
    public async Task AStoppedWriterCommitsWhatWasQueuedAndRefusesLaterWrites()
    {
        var queued = _writer.WriteAsync((c, tx) => Insert(c, tx, "queued"));
        await _writer.StopAsync();

        Assert.Equal(1, await queued);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _writer.WriteAsync((c, tx) => Insert(c, tx, "late")));
        Assert.Equal(["queued"], await StoredNamesAsync());
    }

    // DESIGN §4 (observability): the store's writes count on the commit instrument, one group per commit.
    [Fact]
    public async Task EveryCommitOfTheStoreCountsItsWrites()
    {
        using var recorded = new RecordedMeasurements(_file.Meters);
        await using var store = _file.Open();
        var partition = NewPartition();

        await store.InsertUserAsync(partition, NewUser("a", "a@x.com"), 10, CreateUserAudit("a"));
        await Assert.ThrowsAsync<UniqueConstraintException>(() => store.InsertUserAsync(partition, NewUser("b", "a@x.com"), 10, CreateUserAudit("b")));

        // Each insert was awaited before the next was queued, so each committed in a group of its own (the refused one rolled back in it).
        Assert.Equal([1.0, 1.0], recorded.Of("identity_directory.store.commit.writes").Select(c => c.Value));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_file.ConnectionString);
        connection.Open();
        return connection;
    }

    private static int Insert(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO names (name) VALUES ($name)";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery();
    }

    private async Task<List<string>> StoredNamesAsync()
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM names ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }
}
