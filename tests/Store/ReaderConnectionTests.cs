using IdentityDirectory.Filters;
using IdentityDirectory.Store;
using Microsoft.Data.Sqlite;
using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// The store keeps its read connections open, with their compiled statements, from one read to the
/// next. A read must still end its read transaction: a connection that kept its snapshot would answer
/// the next read from the past and would stop checkpoints from emptying the write-ahead log.
/// </summary>
public sealed class ReaderConnectionTests() : SqliteStoreTests("reader-connections")
{
    private static readonly DirectoryPartition Tenant = NewPartition();

    // Rules R-CRUD-3, R-LST-4: a lookup, a filter and a list total answered after a write see it.
    [Fact]
    public async Task AReadOnAKeptConnectionSeesWritesCommittedAfterTheReadBeforeIt()
    {
        await Store.InsertUserAsync(Tenant, NewUser("user-1", "one@x.com"), 1_000, CreateUserAudit("user-1"));
        // Reads on threads of their own (a read runs on its caller's thread), a few rounds, so that
        // several connections are kept and each serves more than one read.
        for (var round = 0; round < 3; round++)
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(ListAllAsync)));

        await Store.InsertUserAsync(Tenant, NewUser("user-2", "two@x.com"), 1_000, CreateUserAudit("user-2"));

        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(ListAllAsync)));
        Assert.All(pages, page => Assert.Equal(2, page.Total));
        var byName = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Store.QueryUsersAsync(Tenant, ResourceQuery.Equal(FilterScope.Users, "userName", "two@x.com"), new PageRequest(100, 1, false, 0)))));
        Assert.All(byName, page => Assert.Equal(1, page.Total));
        Assert.NotNull(await Store.GetUserAsync(Tenant, "user-2"));
    }

    [Fact]
    public async Task KeptReadConnectionsHoldNoSnapshotThatWouldStopACheckpoint()
    {
        for (var i = 0; i < 20; i++)
        {
            await Store.InsertUserAsync(Tenant, NewUser($"user-{i}", $"u{i}@x.com"), 1_000, CreateUserAudit($"user-{i}"));
            await Task.WhenAll(ListAllAsync(), Store.GetUserAsync(Tenant, $"user-{i}"), Store.QueryGroupsAsync(Tenant, ResourceQuery.Equal(FilterScope.Groups, "members", $"user-{i}") with { RequiredUser = $"user-{i}" }, new PageRequest(100, 1, false, 0)));
        }
        // A cursor page stops reading as soon as it knows there is a next page, with rows left unread.
        var firstPage = await Store.QueryUsersAsync(Tenant, ResourceQuery.All, new PageRequest(5, 1, CursorMode: true, After: 0));
        Assert.NotNull(firstPage.NextCursor);

        await using var connection = new SqliteConnection(StoreConnectionString);
        connection.Open();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA busy_timeout = 0";
        await checkpoint.ExecuteNonQueryAsync();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var reader = await checkpoint.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(0, reader.GetInt32(0)); // not blocked by a reader
        Assert.Equal(0, reader.GetInt32(1)); // and the log is empty afterwards
    }

    private Task<ResourcePage> ListAllAsync() =>
        Store.QueryUsersAsync(Tenant, ResourceQuery.All, new PageRequest(100, 1, false, 0));
}
