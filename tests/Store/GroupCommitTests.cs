using IdentityDirectory.Store;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// The store's group commit: writes queued together commit in one transaction, and a write that
/// fails in such a group changes nothing while every other write of the group is committed.
/// </summary>
public sealed class GroupCommitTests() : StoreTests("group-commit")
{
    private const string Tenant = "group-commit-tenant";

    // Rules R-USR-8, P-1: a create that takes a userName already taken is refused; the creates queued with it are not.
    [Fact]
    public async Task AFailingWriteRollsBackAloneWhileTheRestOfItsGroupCommits()
    {
        // Queued at once, so they reach the single writer in a few large groups; every fourth create
        // reuses the userName of the create queued just before it.
        var creates = Enumerable.Range(0, 200)
            .Select(i => (Id: $"user-{i}", UserName: i % 4 == 3 ? $"u{i - 1}@x.com" : $"u{i}@x.com"))
            .ToList();
        var outcomes = await Task.WhenAll(creates.Select(c => OutcomeOf(Store.InsertUserAsync(Tenant, NewUserRow(c.Id, c.UserName), 1_000, CreateUserAudit(c.Id)))));

        for (var i = 0; i < creates.Count; i++)
        {
            var stored = await Store.GetUserAsync(Tenant, creates[i].Id);
            if (i % 4 == 3)
            {
                Assert.IsType<UniqueConstraintException>(outcomes[i]);
                Assert.Null(stored);
            }
            else
            {
                Assert.Null(outcomes[i]);
                Assert.NotNull(stored);
            }
        }
        var all = await Store.QueryUsersAsync(Tenant, ResourceQuery.All, new PageRequest(100, 1, false, 0));
        Assert.Equal(150, all.Total); // the usage counter counted only the committed creates
        var audit = await Store.ListAuditAsync(Tenant, 0, 1_000);
        Assert.Equal(150, audit.Count); // and only they left an audit record
    }

    // DESIGN §2 and §4 (durability): a write is answered only once its transaction committed, so an
    // answer is never ahead of the data. The test holds SQLite's write lock, so nothing can commit.
    [Fact]
    public async Task AWriteIsAnsweredOnlyOnceItsTransactionCommitted()
    {
        await using var other = new SqliteConnection(StoreConnectionString);
        other.Open();
        using var holdWriteLock = other.CreateCommand();
        holdWriteLock.CommandText = "BEGIN IMMEDIATE";
        holdWriteLock.ExecuteNonQuery();

        var create = Store.InsertUserAsync(Tenant, NewUserRow("held", "held@x.com"), 1_000, CreateUserAudit("held"));
        Assert.False(create.IsCompleted);

        holdWriteLock.CommandText = "COMMIT";
        holdWriteLock.ExecuteNonQuery();
        await create;
        Assert.NotNull(await Store.GetUserAsync(Tenant, "held"));
    }

    private static async Task<Exception?> OutcomeOf(Task write)
    {
        try
        {
            await write;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
