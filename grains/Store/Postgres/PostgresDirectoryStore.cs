using System.Data.Common;
using System.Runtime.CompilerServices;
using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Telemetry;
using Npgsql;
using static IdentityDirectory.Store.DirectoryReads;
using static IdentityDirectory.Store.DirectoryRules;
using static IdentityDirectory.Store.PostgresStatements;

namespace IdentityDirectory.Store;

/// <summary>
/// The directory store on PostgreSQL, for a cluster: every silo writes at once, through the pooled
/// connections of one <see cref="NpgsqlDataSource"/>. Writes commit in groups
/// (<see cref="PostgresGroupCommitWriter"/>), each in a transaction with its audit record, and a write
/// returns only after its group committed; its statements go in as few round trips as their results
/// allow. Uniqueness is the unique indexes' (a violation names its index); counters change in place;
/// where a rule reads before it writes, it takes the lock <see cref="DirectoryRules"/> names, which
/// keeps it true whoever else writes (rows first, then the directory's counts). The SCIM queries are
/// in <see cref="PostgresDirectoryQueries"/>.
/// </summary>
public sealed class PostgresDirectoryStore : IDirectoryStore, IAsyncDisposable
{
    private const int Lanes = 4;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresGroupCommitWriter _writer;
    private readonly DirectoryMetrics _metrics;
    private volatile bool _disposed;

    /// <summary>Applies the schema (<see cref="PostgresDirectorySchema"/>); the data source stays the caller's to dispose.</summary>
    public PostgresDirectoryStore(NpgsqlDataSource dataSource, DirectoryMetrics metrics)
    {
        _dataSource = dataSource;
        _metrics = metrics;
        PostgresDirectorySchema.Apply(dataSource);
        _writer = new PostgresGroupCommitWriter(dataSource, Lanes, AuditNumbering.PostgresLock, metrics.Committed);
    }

    /// <summary>
    /// A data source as the store expects it: statements prepared on the server once they were used twice
    /// (the store runs a few dozen distinct ones), so a write does not parse and plan its statements again; and
    /// a pooled connection handed out again without the seven-statement session reset Npgsql otherwise sends
    /// before its next command, which doubled what PostgreSQL did for a lookup. Nothing the product or its
    /// Orleans statements run leaves session state behind: every lock is a transaction's, and none sets a
    /// setting, opens a cursor, listens or makes a temporary table. Settings given in the connection string win.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
            settings.MaxAutoPrepare = 100;
        if (!Names(connectionString, nameof(settings.NoResetOnClose)))
            settings.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>Whether the connection string itself sets the setting (Npgsql's builder knows every setting, given or not).</summary>
    private static bool Names(string connectionString, string setting) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "").Equals(setting, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs a write of a tenant in its group's transaction, timed; it completes only after the commit.</summary>
    private Task<T> WriteAsync<T>(string tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, [CallerMemberName] string operation = "") =>
        _metrics.TimeStoreCallAsync(operation, () =>
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _writer.WriteAsync(tenantId, async (c, tx) =>
            {
                try
                {
                    return await work(c, tx);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && StoreUniqueness.AttributeOf(e.ConstraintName) is { } attribute)
                {
                    throw new UniqueConstraintException(attribute);
                }
            });
        });

    private Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, [CallerMemberName] string operation = "") =>
        _metrics.TimeStoreCallAsync(operation, async () =>
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var connection = await _dataSource.OpenConnectionAsync();
            return await work(connection);
        });

    public async Task CheckAsync()
    {
        await WriteAsync("", (c, tx) => ExecuteAsync(c, tx,
            Statement("INSERT INTO directory_heartbeat (id, beats) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET beats = directory_heartbeat.beats + 1")));
        await ReadAsync(c => ScalarAsync(c, null, "SELECT beats FROM directory_heartbeat WHERE id = 1"));
    }

    public Task<StoredResource?> GetUserAsync(DirectoryPartition partition, string userId) =>
        ReadAsync(c => GetResourceAsync(c, "directory_users", "signed_in", partition, userId));

    public Task<StoredResource?> GetGroupAsync(DirectoryPartition partition, string groupId) =>
        ReadAsync(c => GetResourceAsync(c, "directory_groups", "false", partition, groupId));

    private static async Task<StoredResource?> GetResourceAsync(NpgsqlConnection c, string table, string signedIn, DirectoryPartition partition, string id)
    {
        await using var command = Command(c, null,
            $"SELECT version, created_ticks, modified_ticks, resource, {signedIn} FROM {table} WHERE tenant_id = @t AND id = @id",
            ("@t", partition.Key), ("@id", id));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return new StoredResource(id, reader.GetInt64(0), FromTicks(reader.GetInt64(1)), FromTicks(reader.GetInt64(2)), reader.GetFieldValue<byte[]>(3),
            reader.GetBoolean(4));
    }

    public Task MarkSignedInAsync(DirectoryPartition partition, string userId) => WriteAsync(partition.TenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement("UPDATE directory_users SET signed_in = true WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", userId))));

    public Task InsertUserAsync(DirectoryPartition partition, UserRow user, int defaultQuota, AuditEntry audit) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        var rows = await ExecuteAsync(c, tx,
        [
            Statement(DeletedTenantFence.PostgresBeforeCheck, ("@tenant", partition.TenantId)),
            Statement(
                $"""
                INSERT INTO directory_users (tenant_id, id, user_name_lc, external_id, email_lc, manager_id, version, created_ticks, modified_ticks, resource, search)
                SELECT @t, @id, @userName, @externalId, @email, @manager, @version, @created, @modified, @resource, convert_from(@search, 'UTF8')::jsonb
                WHERE NOT EXISTS ({DeletedTenantFence.IsRaised})
                """,
                [.. StoreParameters.Of(partition, user), ("@tenant", partition.TenantId)]),
            Statement(Quota.Reserve(Resource.Users), ("@t", partition.Key), ("@quota", defaultQuota)),
            .. Audit(partition.TenantId, audit),
        ]);
        Admitted(rows[1], rows[2], Resource.Users);
        return 0;
    });

    /// <summary>The outcome of a create's insert behind the fence (O-2) and of its quota reservation (R-AWS-1).</summary>
    private static void Admitted(int inserted, int reserved, Resource resource)
    {
        if (inserted == 0)
            throw new TenantDeletedException();
        if (reserved == 0)
            throw new QuotaExceededException(Quota.CountColumn(resource));
    }

    public Task UpdateUserAsync(DirectoryPartition partition, UserRow user, AuditEntry audit) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        var rows = await ExecuteAsync(c, tx,
            [Statement(user.KeysChanged ? UpdateUserWithKeys : UpdateUser, StoreParameters.Of(partition, user)), .. Audit(partition.TenantId, audit)]);
        return rows[0] == 0 ? throw new StaleWriteException() : 0;
    });

    private static readonly string UpdateUser = UpdateRow("directory_users", null);
    private static readonly string UpdateUserWithKeys = UpdateRow("directory_users",
        "user_name_lc = @userName, external_id = @externalId, email_lc = @email, manager_id = @manager");

    /// <summary>
    /// Replaces the row whose stored version is <c>@version - 1</c>. The key columns are set only when
    /// they changed, so most PATCHes change no indexed column and the update stays on its page.
    /// </summary>
    private static string UpdateRow(string table, string? keyColumns) =>
        $"UPDATE {table} SET {(keyColumns is null ? "" : keyColumns + ", ")}version = @version, modified_ticks = @modified, resource = @resource, search = convert_from(@search, 'UTF8')::jsonb "
        + "WHERE tenant_id = @t AND id = @id AND version = @version - 1";

    public Task<bool> DeleteUserAsync(DirectoryPartition partition, string userId, AuditEntry audit, bool keepAssignments = false) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        if (await ScalarAsync(c, tx, MemberCount.PostgresLockUser, ("@t", partition.Key), ("@id", userId)) is null)
            return false; // a delete that finds nothing changes nothing, its audit trail included (O-5)
        await ExecuteAsync(c, tx,
        [
            Statement(MemberCount.PostgresOnUserDelete, ("@t", partition.Key), ("@id", userId)),
            Statement("DELETE FROM directory_users WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", userId)),
            .. Deleted(Resource.Users, partition, userId, keepAssignments),
            .. Audit(partition.TenantId, audit),
        ]);
        return true;
    });

    public Task<bool> DeleteGroupAsync(DirectoryPartition partition, string groupId, AuditEntry audit, bool keepAssignments = false) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        // The edges first, then the row: a user delete that took an edge of the group before us then counts the group down without waiting for us.
        var rows = await ExecuteAsync(c, tx,
            Statement("DELETE FROM directory_members WHERE tenant_id = @t AND group_id = @id", ("@t", partition.Key), ("@id", groupId)),
            Statement("DELETE FROM directory_groups WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", groupId)));
        if (rows[1] == 0)
            return false;
        await ExecuteAsync(c, tx, [.. Deleted(Resource.Groups, partition, groupId, keepAssignments), .. Audit(partition.TenantId, audit)]);
        return true;
    });

    /// <summary>What follows the delete of a user or group row: it is counted out (R-AWS-1) and, unless kept, its assignments go (I-2).</summary>
    private static NpgsqlBatchCommand[] Deleted(Resource resource, DirectoryPartition partition, string id, bool keepAssignments) => keepAssignments
        ? [Statement(Quota.Release(resource), ("@t", partition.Key))]
        : [Statement(Quota.Release(resource), ("@t", partition.Key)), Statement(AssignmentCleanup.OnPrincipalDelete, ("@t", partition.Key), ("@id", id))];

    public Task InsertGroupAsync(DirectoryPartition partition, GroupRow group, IReadOnlyCollection<string> memberIds, int defaultQuota, AuditEntry audit) =>
        WriteAsync(partition.TenantId, async (c, tx) =>
        {
            var inserted = await ExecuteAsync(c, tx,
                Statement(DeletedTenantFence.PostgresBeforeCheck, ("@tenant", partition.TenantId)),
                Statement(
                    $"""
                    INSERT INTO directory_groups (tenant_id, id, display_name_lc, external_id, version, created_ticks, modified_ticks, resource, search)
                    SELECT @t, @id, @displayName, @externalId, @version, @created, @modified, @resource, convert_from(@search, 'UTF8')::jsonb
                    WHERE NOT EXISTS ({DeletedTenantFence.IsRaised})
                    """,
                    [.. StoreParameters.Of(partition, group), ("@tenant", partition.TenantId)]));
            if (inserted[1] == 0)
                throw new TenantDeletedException();
            var (delta, _) = await ChangeMembersAsync(c, tx, partition, group.Id, new MembershipChange(memberIds, []));
            // The directory's count after the members' locks, so a create never holds it while it waits for a user (see the class remarks).
            var rows = await ExecuteAsync(c, tx,
            [
                Statement(Quota.Reserve(Resource.Groups), ("@t", partition.Key), ("@quota", defaultQuota)),
                Statement($"UPDATE directory_groups SET {MemberCount.Apply} WHERE tenant_id = @t AND id = @id",
                    ("@t", partition.Key), ("@id", group.Id), ("@delta", delta)),
                .. Audit(partition.TenantId, audit),
            ]);
            Admitted(inserted[1], rows[0], Resource.Groups);
            return 0;
        });

    public Task<bool> UpdateGroupAsync(DirectoryPartition partition, string groupId, GroupRow group, MembershipChange members, bool attributesChanged,
        AuditEntry audit) =>
        WriteAsync(partition.TenantId, async (c, tx) =>
        {
            var (inserted, deleted) = await ChangeMembersAsync(c, tx, partition, groupId, members);
            if (inserted == 0 && deleted == 0 && !attributesChanged)
            {
                if (await ScalarAsync(c, tx, "SELECT 1 FROM directory_groups WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", groupId)) is null)
                    throw new StaleWriteException();
                await ExecuteAsync(c, tx, Audit(partition.TenantId, audit));
                return false;
            }
            // The group's row after its edges: a user delete that holds a member's row and waits for this group's row is not waited for in turn.
            var write = Statement(group.KeysChanged ? UpdateGroupWithKeys : UpdateGroup, [.. StoreParameters.Of(partition, group), ("@delta", inserted - deleted)]);
            var rows = await ExecuteAsync(c, tx, [write, .. Audit(partition.TenantId, audit)]);
            return rows[0] == 0 ? throw new StaleWriteException() : true;
        });

    private static readonly string UpdateGroup = UpdateRow("directory_groups", MemberCount.Apply);
    private static readonly string UpdateGroupWithKeys = UpdateRow("directory_groups",
        $"display_name_lc = @displayName, external_id = @externalId, {MemberCount.Apply}");

    /// <summary>
    /// Adds and removes the group's edges, the users to add read with a key-share lock, so none of them
    /// can be deleted before the commit: an id the lock does not find is not a user (R-GRP-5).
    /// </summary>
    /// <returns>The edges inserted and the edges deleted.</returns>
    private static async Task<(int Inserted, int Deleted)> ChangeMembersAsync(NpgsqlConnection c, NpgsqlTransaction tx, DirectoryPartition partition, string groupId,
        MembershipChange members)
    {
        if (members.IsEmpty)
            return (0, 0);
        var adds = members.Add.ToArray();
        if (adds.Length > 0)
        {
            await using var command = Command(c, tx,
                "SELECT id FROM directory_users WHERE tenant_id = @t AND id = ANY(@ids) ORDER BY seq FOR KEY SHARE", ("@t", partition.Key), ("@ids", adds));
            var found = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    found.Add(reader.GetString(0));
            }
            if (adds.FirstOrDefault(id => !found.Contains(id)) is { } unknown)
                throw new UnknownMemberException(unknown);
        }
        var rows = await ExecuteAsync(c, tx,
            Statement(
                """
                INSERT INTO directory_members (tenant_id, group_id, group_seq, user_id, user_seq)
                SELECT g.tenant_id, g.id, g.seq, u.id, u.seq FROM directory_groups g JOIN directory_users u ON u.tenant_id = g.tenant_id
                WHERE g.tenant_id = @t AND g.id = @g AND u.id = ANY(@ids)
                ON CONFLICT DO NOTHING
                """,
                ("@t", partition.Key), ("@g", groupId), ("@ids", adds)),
            Statement(
                """
                DELETE FROM directory_members WHERE tenant_id = @t AND user_id = ANY(@ids)
                AND group_seq = (SELECT seq FROM directory_groups WHERE tenant_id = @t AND id = @g)
                """,
                ("@t", partition.Key), ("@g", groupId), ("@ids", members.Remove.ToArray())));
        return (rows[0], rows[1]);
    }

    public Task<ResourcePage> QueryUsersAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => PostgresDirectoryQueries.UsersAsync(c, partition, query, page));

    public Task<ResourcePage> QueryGroupsAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => PostgresDirectoryQueries.GroupsAsync(c, partition, query, page));

    private static readonly ListRead<Membership> MembersOf = DirectoryReads.MembersOf(column => $"{column} = ANY(@ids)");
    private static readonly ListRead<Membership> GroupsOf = DirectoryReads.GroupsOf(column => $"{column} = ANY(@ids)");

    public Task<IReadOnlyList<Membership>> MembersOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> groupIds) =>
        ListAsync(MembersOf, [("@t", partition.Key), ("@ids", groupIds.ToArray())]);

    public Task<IReadOnlyList<Membership>> GroupsOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> userIds) =>
        ListAsync(GroupsOf, [("@t", partition.Key), ("@ids", userIds.ToArray())]);

    public Task AddAssignmentAsync(DirectoryPartition partition, Assignment assignment, AuditEntry audit) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        var table = assignment.PrincipalType == "Group" ? "directory_groups" : "directory_users";
        if (await ScalarAsync(c, tx, AssignmentCleanup.PostgresLockPrincipal(table), ("@t", partition.Key), ("@id", assignment.PrincipalId)) is null)
            throw new UnknownPrincipalException(assignment.PrincipalId);
        return await ExecuteAsync(c, tx,
        [
            Statement(
                """
                INSERT INTO directory_assignments (tenant_id, id, principal_type, principal_id, target, permission_set, created_ticks)
                VALUES (@t, @id, @type, @principal, @target, @permissionSet, @created)
                """,
                ("@t", partition.Key), ("@id", assignment.Id), ("@type", assignment.PrincipalType), ("@principal", assignment.PrincipalId),
                ("@target", assignment.Target), ("@permissionSet", assignment.PermissionSet), ("@created", assignment.CreatedAt.UtcTicks)),
            .. Audit(partition.TenantId, audit),
        ]);
    });

    public Task<bool> DeleteAssignmentAsync(DirectoryPartition partition, string assignmentId, AuditEntry audit) => WriteAsync(partition.TenantId, async (c, tx) =>
    {
        var rows = await ExecuteAsync(c, tx,
            Statement("DELETE FROM directory_assignments WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", assignmentId)));
        if (rows[0] == 0)
            return false;
        await ExecuteAsync(c, tx, Audit(partition.TenantId, audit));
        return true;
    });

    public Task<IReadOnlyList<Assignment>> ListAssignmentsAsync(DirectoryPartition partition, string? principalId, string? target, long after, int count) =>
        ListAsync(DirectoryReads.Assignments, [("@t", partition.Key), ("@principal", principalId), ("@target", target), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(DirectoryPartition partition, string userId) =>
        ListAsync(DirectoryReads.Access, [("@t", partition.Key), ("@u", userId)]);

    public Task RequirePasswordResetAsync(DirectoryPartition partition) => WriteAsync(partition.TenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement("UPDATE directory_users SET password_reset = true WHERE tenant_id = @t", ("@t", partition.Key))));

    public Task<bool> PasswordResetRequiredAsync(DirectoryPartition partition, string userId) => ReadAsync(async c =>
        await ScalarAsync(c, null, "SELECT password_reset FROM directory_users WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", userId))
            is true);

    public Task<bool> PurgePartitionAsync(DirectoryPartition partition, int batch) => PurgeAsync(partition.TenantId, PurgeScope.Directory(partition), batch);

    public Task<bool> PurgeTenantAsync(string tenantId, int batch) => PurgeAsync(tenantId, PurgeScope.Tenant(tenantId), batch);

    /// <summary>Deletes up to <paramref name="batch"/> rows of the scope, table after table, in one small transaction.</summary>
    /// <returns>Whether the batch was used up, so rows may remain.</returns>
    private Task<bool> PurgeAsync(string tenantId, PurgeScope scope, int batch, [CallerMemberName] string operation = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return WriteAsync(tenantId, async (c, tx) =>
        {
            var left = batch;
            foreach (var table in scope.Tables)
            {
                var key = table switch
                {
                    "directory_members" => "tenant_id, group_id, user_seq",
                    "directory_audit_log" => "tenant_id, seq",
                    "directory_usage" => "tenant_id",
                    _ => "seq",
                };
                var rows = await ExecuteAsync(c, tx,
                    Statement($"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {scope.Where} {StoreParameters.Limit})", [.. scope.Parameters, ("@limit", left)]));
                left -= rows[0];
                if (left == 0)
                    return true;
            }
            return false;
        }, operation);
    }

    public Task SetPortalAsync(string identityStoreId, string tenantId) => WriteAsync(tenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement(
            """
            INSERT INTO directory_portals (identity_store_id, tenant_id) VALUES (@s, @tenant)
            ON CONFLICT (identity_store_id) DO UPDATE SET tenant_id = excluded.tenant_id
            """,
            ("@s", identityStoreId), ("@tenant", tenantId))));

    public Task RemovePortalAsync(string identityStoreId) => WriteAsync("", (c, tx) => ExecuteAsync(c, tx,
        Statement("DELETE FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId))));

    public Task<string?> FindPortalTenantAsync(string identityStoreId) => ReadAsync(async c =>
        await ScalarAsync(c, null, "SELECT tenant_id FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId)) as string);

    public Task SetQuotasAsync(DirectoryPartition partition, int users, int groups) => WriteAsync(partition.TenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement(Quota.Set, ("@t", partition.Key), ("@users", users), ("@groups", groups))));

    public Task RegisterTenantAsync(string tenantId, DateTimeOffset createdAt) => WriteAsync(tenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement("INSERT INTO directory_tenants (tenant_id, created_ticks) VALUES (@tenant, @at) ON CONFLICT (tenant_id) DO NOTHING",
            ("@tenant", tenantId), ("@at", createdAt.UtcTicks))));

    public async Task<(IReadOnlyList<string> TenantIds, long? Next)> ListTenantsAsync(long after, int count) =>
        DirectoryReads.TenantPage(await ListAsync(DirectoryReads.Tenants, [("@after", after), ("@limit", count + 1)]), count);

    public Task WithdrawTenantAsync(string tenantId) => WriteAsync(tenantId, (c, tx) => ExecuteAsync(c, tx,
        Statement(DeletedTenantFence.PostgresBeforeRaise, ("@tenant", tenantId)),
        Statement("DELETE FROM directory_tenants WHERE tenant_id = @tenant", ("@tenant", tenantId)),
        Statement("DELETE FROM directory_portals WHERE tenant_id = @tenant", ("@tenant", tenantId)),
        Statement(DeletedTenantFence.Raise, ("@tenant", tenantId))));

    public Task AppendAuditAsync(string tenantId, AuditEntry audit) => WriteAsync(tenantId, (c, tx) => ExecuteAsync(c, tx, Audit(tenantId, audit)));

    /// <summary>The write's audit record (O-5), numbered after the tenant's last under the tenant's numbering lock; the last statements of a write.</summary>
    private static NpgsqlBatchCommand[] Audit(string tenantId, AuditEntry audit) =>
    [
        Statement(AuditNumbering.PostgresLock, ("@tenant", tenantId)),
        Statement(
            $"""
            INSERT INTO directory_audit_log (tenant_id, seq, at_ticks, actor, action, target, request_id)
            VALUES (@tenant, {AuditNumbering.Next}, @at, @actor, @action, @target, @request)
            """,
            ("@tenant", tenantId), ("@at", audit.At.UtcTicks), ("@actor", audit.Actor), ("@action", audit.Action), ("@target", audit.Target),
            ("@request", audit.RequestId)),
    ];

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenantId, long after, int count) =>
        ListAsync(DirectoryReads.Audit, [("@tenant", tenantId), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(string tenantId, long before, int count) =>
        ListAsync(DirectoryReads.RecentAudit, [("@tenant", tenantId), ("@before", before), ("@limit", count)]);

    public Task AppendEventsAsync(string tenantId, IReadOnlyList<DirectoryEvent> events) => WriteAsync(tenantId, (c, tx) => ExecuteAsync(c, tx,
    [
        Statement(EventNumbering.PostgresLock),
        .. events.Select(item => Statement(
            """
            INSERT INTO directory_events (tenant_id, type, subject, at_ticks, detail) VALUES (@tenant, @type, @subject, @at, @detail)
            ON CONFLICT (tenant_id, type, subject, at_ticks) DO NOTHING
            """,
            ("@tenant", tenantId), ("@type", item.Type), ("@subject", item.Subject), ("@at", item.At.UtcTicks), ("@detail", item.Detail))),
    ]));

    public Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(string tenantId, long after, int count) =>
        ListAsync(DirectoryReads.Events, [("@tenant", tenantId), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(string tenantId, long before, int count) =>
        ListAsync(DirectoryReads.RecentEvents, [("@tenant", tenantId), ("@before", before), ("@limit", count)]);

    public Task<IReadOnlyList<(string TenantId, DirectoryEvent Event)>> ListAllEventsAsync(long after, int count) =>
        ListAsync(DirectoryReads.AllEvents, [("@after", after), ("@limit", count)]);

    private Task<IReadOnlyList<T>> ListAsync<T>(ListRead<T> read, (string, object?)[] parameters, [CallerMemberName] string operation = "") => ReadAsync(async c =>
    {
        await using var command = Command(c, null, read.Sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(read.Row(reader));
        return (IReadOnlyList<T>)rows;
    }, operation);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _writer.StopAsync();
    }
}
