using IdentityDirectory.Directory;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Tests.Store;

/// <summary>
/// A store file written by an earlier version keeps its audit trail: the rows of the older audit
/// table move to the current one at start, with their numbers, and the trail continues after them.
/// </summary>
public sealed class AuditMigrationTests : IAsyncLifetime
{
    private readonly TemporaryStoreFile _file = new("audit-migration");
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _file.Delete();
        return Task.CompletedTask;
    }

    // Rule O-5: every SCIM write and admin action leaves an audit record, and an upgrade loses none.
    [Fact]
    public async Task AuditRowsOfTheOlderTableKeepTheirNumbersAndTheTrailContinuesAfterThem()
    {
        // Rows of two tenants interleaved, numbered 1, 2, 3 by the older table.
        await WriteOlderAuditTableAsync(
            """
            ('tenant-a', 1, 'operator', 'CreateTenant', 'Tenant/tenant-a', NULL),
            ('tenant-b', 2, 'operator', 'CreateTenant', 'Tenant/tenant-b', NULL),
            ('tenant-a', 3, 'token-1', 'CreateUser', 'User/u1', 'req-1')
            """);

        await using (var store = _file.Open())
        {
            var migrated = await store.ListAuditAsync("tenant-a", after: 0, count: 10);
            Assert.Equal([(1L, "CreateTenant", (string?)null), (3L, "CreateUser", "req-1")],
                migrated.Select(entry => (entry.Seq, entry.Action, entry.RequestId)));
            Assert.Equal(["token-1"], (await store.ListAuditAsync("tenant-a", after: 1, count: 10)).Select(entry => entry.Actor));

            await store.AppendAuditAsync("tenant-a", new AuditEntry(At, "token-1", "DeleteUser", "User/u1", "req-2"));
            await store.AppendAuditAsync("tenant-b", new AuditEntry(At, "operator", "EnableProvisioning", "Tenant/tenant-b", null));

            var continued = await store.ListAuditAsync("tenant-a", after: 3, count: 10);
            Assert.Equal([(4L, "DeleteUser", At)], continued.Select(entry => (entry.Seq, entry.Action, entry.At)));
            Assert.Equal([2L, 3L], (await store.ListAuditAsync("tenant-b", after: 0, count: 10)).Select(entry => entry.Seq));
        }

        // A second start finds nothing left to move and changes nothing.
        await using (var restarted = _file.Open())
            Assert.Equal([1L, 3L, 4L], (await restarted.ListAuditAsync("tenant-a", after: 0, count: 10)).Select(entry => entry.Seq));
    }

    // Rule O-5: an older version that ran on the file after an upgrade numbered its records from 1 again;
    // the next upgrade keeps them all, after the records the newer version had written.
    [Fact]
    public async Task RecordsOfAnOlderVersionRunInBetweenAreNumberedAfterTheNewerOnesNotDropped()
    {
        await using (var store = _file.Open())
        {
            await store.AppendAuditAsync("tenant-a", new AuditEntry(At, "operator", "CreateTenant", "Tenant/tenant-a", null));
            await store.AppendAuditAsync("tenant-a", new AuditEntry(At, "token-1", "CreateUser", "User/u1", null));
        }
        await WriteOlderAuditTableAsync(
            """
            ('tenant-a', 3, 'token-1', 'DeleteUser', 'User/u1', NULL),
            ('tenant-a', 4, 'token-1', 'CreateUser', 'User/u2', NULL)
            """);

        await using var upgraded = _file.Open();

        Assert.Equal([(1L, "CreateTenant"), (2L, "CreateUser"), (3L, "DeleteUser"), (4L, "CreateUser")],
            (await upgraded.ListAuditAsync("tenant-a", after: 0, count: 10)).Select(entry => (entry.Seq, entry.Action)));
    }

    /// <summary>The audit table as versions before the per-tenant numbering created it, holding <paramref name="rows"/>.</summary>
    private async Task WriteOlderAuditTableAsync(string rows)
    {
        await using var connection = new SqliteConnection(_file.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            CREATE TABLE directory_audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                tenant_id TEXT NOT NULL,
                at_ticks INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                request_id TEXT NULL);
            CREATE INDEX ix_directory_audit_seq ON directory_audit (tenant_id, seq);
            INSERT INTO directory_audit (tenant_id, at_ticks, actor, action, target, request_id) VALUES {rows};
            """;
        await command.ExecuteNonQueryAsync();
    }
}
