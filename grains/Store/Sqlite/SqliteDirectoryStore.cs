using System.Text.Json;
using System.Runtime.CompilerServices;
using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Telemetry;
using Microsoft.Data.Sqlite;
using static IdentityDirectory.Store.DirectoryReads;
using static IdentityDirectory.Store.DirectoryRules;
using static IdentityDirectory.Store.SqliteStatementCache;

namespace IdentityDirectory.Store;

/// <summary>
/// The directory store on an embedded SQLite file: writes go through the one writer, which commits
/// them in groups (<see cref="SqliteGroupCommitWriter"/>); reads use connections kept open with their
/// compiled statements (<see cref="SqliteReaderPool"/>, <see cref="SqliteStatementCache"/>) and run
/// beside writes under WAL. This class holds the SQL of the writes and of the reads but the SCIM
/// queries (<see cref="SqliteDirectoryQueries"/>); the rules it enforces are in <see cref="DirectoryRules"/>.
/// </summary>
public sealed class SqliteDirectoryStore : IDirectoryStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteGroupCommitWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly DirectoryMetrics _metrics;

    public SqliteDirectoryStore(string connectionString, DirectoryMetrics metrics)
    {
        _metrics = metrics;
        SqliteBusyWait.Install();
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true }.ToString();
        using (var connection = Open())
        {
            SqliteBusyWait.Verify(connection);
            SqliteDirectorySchema.Apply(connection);
        }
        _readers = new SqliteReaderPool(Open, Close);
        _writer = new SqliteGroupCommitWriter(OpenWriter, Close, metrics.Committed);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private SqliteConnection OpenWriter()
    {
        var connection = Open();
        using var durable = connection.CreateCommand();
        // Statement and savepoint journals stay in memory; in temporary files they cost a tenth of the CPU of deletes (bench/PROFILE.md).
        durable.CommandText = "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;";
        durable.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs a write through the writer, timed; it completes only after its group committed.</summary>
    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, [CallerMemberName] string operation = "") =>
        _metrics.TimeStoreCallAsync(operation, () => _writer.WriteAsync(work));

    /// <summary>Runs a read on a connection lent to it alone, on the caller's thread (SQLite reads block), timed.</summary>
    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, [CallerMemberName] string operation = "") =>
        _metrics.TimeStoreCallAsync(operation, () =>
        {
            var connection = _readers.Take();
            try
            {
                return Task.FromResult(work(connection));
            }
            finally
            {
                _readers.Return(connection);
            }
        });

    public async Task CheckAsync()
    {
        // The write changes a row, so its commit reaches the disk: one that changed nothing would not touch the file.
        await WriteAsync((c, tx) =>
            Prepared(c, tx, "INSERT INTO directory_heartbeat (id, beats) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET beats = beats + 1").ExecuteNonQuery());
        await ReadAsync(c => Prepared(c, null, "SELECT beats FROM directory_heartbeat WHERE id = 1").ExecuteScalar());
    }

    public Task<StoredResource?> GetUserAsync(DirectoryPartition partition, string userId) =>
        ReadAsync(c => GetResource(c, "directory_users", "signed_in", partition, userId));

    public Task<StoredResource?> GetGroupAsync(DirectoryPartition partition, string groupId) =>
        ReadAsync(c => GetResource(c, "directory_groups", "0", partition, groupId));

    private static StoredResource? GetResource(SqliteConnection connection, string table, string signedIn, DirectoryPartition partition, string id)
    {
        var command = Prepared(connection, null,
            $"SELECT version, created_ticks, modified_ticks, resource, {signedIn} FROM {table} WHERE tenant_id = @t AND id = @id",
            ("@t", partition.Key), ("@id", id));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        return new StoredResource(id, reader.GetInt64(0), FromTicks(reader.GetInt64(1)), FromTicks(reader.GetInt64(2)), reader.GetFieldValue<byte[]>(3),
            reader.GetInt64(4) == 1);
    }

    public Task MarkSignedInAsync(DirectoryPartition partition, string userId) => WriteAsync((c, tx) =>
        Prepared(c, tx, "UPDATE directory_users SET signed_in = 1 WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", userId))
            .ExecuteNonQuery());

    public Task InsertUserAsync(DirectoryPartition partition, UserRow user, int defaultQuota, AuditEntry audit) => WriteAsync((c, tx) =>
    {
        InsertAudit(c, tx, partition.TenantId, audit);
        CheckFence(c, tx, partition);
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_users (tenant_id, id, user_name_lc, external_id, email_lc, manager_id, version, created_ticks, modified_ticks, resource, search)
            VALUES (@t, @id, @userName, @externalId, @email, @manager, @version, @created, @modified, @resource, CAST(@search AS TEXT))
            """,
            StoreParameters.Of(partition, user));
        ExecuteUnique(command);
        return Reserve(c, tx, partition, Resource.Users, defaultQuota);
    });

    public Task UpdateUserAsync(DirectoryPartition partition, UserRow user, AuditEntry audit) => WriteAsync((c, tx) =>
    {
        InsertAudit(c, tx, partition.TenantId, audit);
        var command = Prepared(c, tx, user.KeysChanged ? UpdateUserWithKeys : UpdateUser, StoreParameters.Of(partition, user));
        return ExecuteUnique(command) == 0 ? throw new StaleWriteException() : 0;
    });

    private static readonly string UpdateUser = UpdateRow("directory_users", null);
    private static readonly string UpdateUserWithKeys = UpdateRow("directory_users",
        "user_name_lc = @userName, external_id = @externalId, email_lc = @email, manager_id = @manager");
    private static readonly string UpdateGroup = UpdateRow("directory_groups", null);
    private static readonly string UpdateGroupWithKeys = UpdateRow("directory_groups", "display_name_lc = @displayName, external_id = @externalId");

    /// <summary>
    /// Replaces the row whose stored version is <c>@version - 1</c>. Setting an indexed column rewrites
    /// its index entries even to the same value, so the key columns are set only when they changed
    /// (most PATCHes leave them alone).
    /// </summary>
    private static string UpdateRow(string table, string? keyColumns) =>
        $"UPDATE {table} SET {(keyColumns is null ? "" : keyColumns + ", ")}version = @version, modified_ticks = @modified, resource = @resource, search = CAST(@search AS TEXT) "
        + "WHERE tenant_id = @t AND id = @id AND version = @version - 1";

    public Task<bool> DeleteUserAsync(DirectoryPartition partition, string userId, AuditEntry audit, bool keepAssignments = false) => WriteAsync((c, tx) =>
    {
        Prepared(c, tx, MemberCount.SqliteOnUserDelete, ("@t", partition.Key), ("@id", userId)).ExecuteNonQuery();
        return Audited(c, tx, DeleteResource(c, tx, Resource.Users, partition, userId, keepAssignments), partition.TenantId, audit);
    });

    public Task<bool> DeleteGroupAsync(DirectoryPartition partition, string groupId, AuditEntry audit, bool keepAssignments = false) => WriteAsync((c, tx) =>
        Audited(c, tx, DeleteResource(c, tx, Resource.Groups, partition, groupId, keepAssignments), partition.TenantId, audit));

    /// <summary>A delete's audit record (O-5), when it deleted something: a delete that finds nothing changes nothing.</summary>
    private static bool Audited(SqliteConnection c, SqliteTransaction tx, bool deleted, string tenantId, AuditEntry audit)
    {
        if (deleted)
            InsertAudit(c, tx, tenantId, audit);
        return deleted;
    }

    /// <summary>Deletes a user or group row (its edges by cascade), counts it out (R-AWS-1) and, unless kept (I-2), deletes its assignments.</summary>
    private static bool DeleteResource(SqliteConnection c, SqliteTransaction tx, Resource resource, DirectoryPartition partition, string id, bool keepAssignments)
    {
        var table = resource == Resource.Users ? "directory_users" : "directory_groups";
        if (Prepared(c, tx, $"DELETE FROM {table} WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", id)).ExecuteNonQuery() == 0)
            return false;
        Prepared(c, tx, Quota.Release(resource), ("@t", partition.Key)).ExecuteNonQuery();
        if (!keepAssignments)
            Prepared(c, tx, AssignmentCleanup.OnPrincipalDelete, ("@t", partition.Key), ("@id", id)).ExecuteNonQuery();
        return true;
    }

    public Task InsertGroupAsync(DirectoryPartition partition, GroupRow group, IReadOnlyCollection<string> memberIds, int defaultQuota, AuditEntry audit) =>
        WriteAsync((c, tx) =>
        {
            InsertAudit(c, tx, partition.TenantId, audit);
            CheckFence(c, tx, partition);
            var command = Prepared(c, tx,
                """
                INSERT INTO directory_groups (tenant_id, id, display_name_lc, external_id, version, created_ticks, modified_ticks, resource, search)
                VALUES (@t, @id, @displayName, @externalId, @version, @created, @modified, @resource, CAST(@search AS TEXT))
                """,
                StoreParameters.Of(partition, group));
            ExecuteUnique(command);
            ChangeMembers(c, tx, partition, group.Id, new MembershipChange(memberIds, []));
            return Reserve(c, tx, partition, Resource.Groups, defaultQuota);
        });

    public Task<bool> UpdateGroupAsync(DirectoryPartition partition, string groupId, GroupRow group, MembershipChange members, bool attributesChanged,
        AuditEntry audit) =>
        WriteAsync((c, tx) =>
        {
            InsertAudit(c, tx, partition.TenantId, audit);
            if (!ChangeMembers(c, tx, partition, groupId, members) && !attributesChanged)
                return false;
            var command = Prepared(c, tx, group.KeysChanged ? UpdateGroupWithKeys : UpdateGroup, StoreParameters.Of(partition, group));
            if (ExecuteUnique(command) == 0)
                throw new StaleWriteException();
            return true;
        });

    /// <returns>whether an edge was inserted or deleted.</returns>
    private static bool ChangeMembers(SqliteConnection c, SqliteTransaction tx, DirectoryPartition partition, string groupId, MembershipChange members)
    {
        if (members.IsEmpty)
            return false;
        var groupSeq = Prepared(c, tx, "SELECT seq FROM directory_groups WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", groupId));
        var seq = (long)(groupSeq.ExecuteScalar() ?? throw new StaleWriteException());

        var findUser = Prepared(c, tx, "SELECT seq FROM directory_users WHERE tenant_id = @t AND id = @u", ("@t", partition.Key), ("@u", ""));
        var insert = Prepared(c, tx,
            "INSERT OR IGNORE INTO directory_members (tenant_id, group_id, group_seq, user_id, user_seq) VALUES (@t, @g, @gs, @u, @us)",
            ("@t", partition.Key), ("@g", groupId), ("@gs", seq), ("@u", ""), ("@us", 0L));
        var (inserted, deleted) = (0, 0);
        foreach (var userId in members.Add)
        {
            findUser.Parameters["@u"].Value = userId;
            var userSeq = findUser.ExecuteScalar() ?? throw new UnknownMemberException(userId);
            insert.Parameters["@u"].Value = userId;
            insert.Parameters["@us"].Value = userSeq;
            inserted += insert.ExecuteNonQuery();
        }

        var remove = Prepared(c, tx,
            "DELETE FROM directory_members WHERE tenant_id = @t AND user_id = @u AND group_seq = @gs",
            ("@t", partition.Key), ("@u", ""), ("@gs", seq));
        foreach (var userId in members.Remove)
        {
            remove.Parameters["@u"].Value = userId;
            deleted += remove.ExecuteNonQuery();
        }
        if (inserted == 0 && deleted == 0)
            return false;

        Prepared(c, tx, $"UPDATE directory_groups SET {MemberCount.Apply} WHERE seq = @gs", ("@delta", inserted - deleted), ("@gs", seq)).ExecuteNonQuery();
        return true;
    }

    /// <summary>A new user or group never enters a deleted tenant's directory (O-2).</summary>
    private static void CheckFence(SqliteConnection c, SqliteTransaction tx, DirectoryPartition partition)
    {
        if (Prepared(c, tx, DeletedTenantFence.IsRaised, ("@tenant", partition.TenantId)).ExecuteScalar() is not null)
            throw new TenantDeletedException();
    }

    /// <summary>Counts a new user or group in, within the directory's quota (R-AWS-1).</summary>
    private static int Reserve(SqliteConnection c, SqliteTransaction tx, DirectoryPartition partition, Resource resource, int defaultQuota) =>
        Prepared(c, tx, Quota.Reserve(resource), ("@t", partition.Key), ("@quota", defaultQuota)).ExecuteNonQuery() == 0
            ? throw new QuotaExceededException(Quota.CountColumn(resource))
            : 0;

    public Task<ResourcePage> QueryUsersAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => SqliteDirectoryQueries.Users(c, partition, query, page));

    public Task<ResourcePage> QueryGroupsAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => SqliteDirectoryQueries.Groups(c, partition, query, page));

    // The ids travel as one JSON array, so the statement is compiled once whatever their number.
    private static readonly ListRead<Membership> MembersOf = DirectoryReads.MembersOf(column => $"{column} IN (SELECT value FROM json_each(@ids))");
    private static readonly ListRead<Membership> GroupsOf = DirectoryReads.GroupsOf(column => $"{column} IN (SELECT value FROM json_each(@ids))");

    public Task<IReadOnlyList<Membership>> MembersOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> groupIds) =>
        ListAsync(MembersOf, [("@t", partition.Key), ("@ids", JsonSerializer.Serialize(groupIds))]);

    public Task<IReadOnlyList<Membership>> GroupsOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> userIds) =>
        ListAsync(GroupsOf, [("@t", partition.Key), ("@ids", JsonSerializer.Serialize(userIds))]);

    public Task AddAssignmentAsync(DirectoryPartition partition, Assignment assignment, AuditEntry audit) => WriteAsync((c, tx) =>
    {
        var table = assignment.PrincipalType == "Group" ? "directory_groups" : "directory_users";
        if (Prepared(c, tx, $"SELECT 1 FROM {table} WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", assignment.PrincipalId)).ExecuteScalar() is null)
            throw new UnknownPrincipalException(assignment.PrincipalId);
        InsertAudit(c, tx, partition.TenantId, audit);
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_assignments (tenant_id, id, principal_type, principal_id, target, permission_set, created_ticks)
            VALUES (@t, @id, @type, @principal, @target, @permissionSet, @created)
            """,
            ("@t", partition.Key), ("@id", assignment.Id), ("@type", assignment.PrincipalType), ("@principal", assignment.PrincipalId),
            ("@target", assignment.Target), ("@permissionSet", assignment.PermissionSet), ("@created", assignment.CreatedAt.UtcTicks));
        return ExecuteUnique(command);
    });

    public Task<bool> DeleteAssignmentAsync(DirectoryPartition partition, string assignmentId, AuditEntry audit) => WriteAsync((c, tx) =>
        Audited(c, tx, Prepared(c, tx, "DELETE FROM directory_assignments WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", assignmentId))
            .ExecuteNonQuery() > 0, partition.TenantId, audit));

    public Task<IReadOnlyList<Assignment>> ListAssignmentsAsync(DirectoryPartition partition, string? principalId, string? target, long after, int count) =>
        ListAsync(DirectoryReads.Assignments, [("@t", partition.Key), ("@principal", principalId), ("@target", target), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(DirectoryPartition partition, string userId) =>
        ListAsync(DirectoryReads.Access, [("@t", partition.Key), ("@u", userId)]);

    public Task RequirePasswordResetAsync(DirectoryPartition partition) => WriteAsync((c, tx) =>
        Prepared(c, tx, "UPDATE directory_users SET password_reset = 1 WHERE tenant_id = @t", ("@t", partition.Key)).ExecuteNonQuery());

    public Task<bool> PasswordResetRequiredAsync(DirectoryPartition partition, string userId) => ReadAsync(c =>
        Prepared(c, null, "SELECT password_reset FROM directory_users WHERE tenant_id = @t AND id = @id", ("@t", partition.Key), ("@id", userId))
            .ExecuteScalar() is long flag && flag == 1);

    public Task<bool> PurgePartitionAsync(DirectoryPartition partition, int batch) => PurgeAsync(PurgeScope.Directory(partition), batch);

    public Task<bool> PurgeTenantAsync(string tenantId, int batch) => PurgeAsync(PurgeScope.Tenant(tenantId), batch);

    /// <summary>
    /// Deletes up to <paramref name="batch"/> rows of the scope, table after table, in one
    /// small transaction, so that other tenants' writes interleave with a purge of any size.
    /// </summary>
    /// <returns>Whether the batch was used up, so rows may remain.</returns>
    private Task<bool> PurgeAsync(PurgeScope scope, int batch, [CallerMemberName] string operation = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1); // LIMIT 0 would purge nothing forever, a negative LIMIT everything at once
        return WriteAsync((c, tx) =>
        {
            var left = batch;
            foreach (var table in scope.Tables)
            {
                var key = table switch
                {
                    "directory_members" => "tenant_id, group_id, user_seq", // tables without a rowid go by their primary key
                    "directory_audit_log" => "tenant_id, seq",
                    _ => "rowid",
                };
                var command = Prepared(c, tx, $"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {scope.Where} {StoreParameters.Limit})",
                    [.. scope.Parameters, ("@limit", left)]);
                left -= command.ExecuteNonQuery();
                if (left == 0)
                    return true;
            }
            return false;
        }, operation);
    }

    public Task SetPortalAsync(string identityStoreId, string tenantId) => WriteAsync((c, tx) =>
        Prepared(c, tx, "INSERT OR REPLACE INTO directory_portals (identity_store_id, tenant_id) VALUES (@s, @tenant)",
            ("@s", identityStoreId), ("@tenant", tenantId)).ExecuteNonQuery());

    public Task RemovePortalAsync(string identityStoreId) => WriteAsync((c, tx) =>
        Prepared(c, tx, "DELETE FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId)).ExecuteNonQuery());

    public Task<string?> FindPortalTenantAsync(string identityStoreId) => ReadAsync(c =>
        Prepared(c, null, "SELECT tenant_id FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId)).ExecuteScalar() as string);

    public Task SetQuotasAsync(DirectoryPartition partition, int users, int groups) => WriteAsync((c, tx) =>
        Prepared(c, tx, Quota.Set, ("@t", partition.Key), ("@users", users), ("@groups", groups)).ExecuteNonQuery());

    public Task RegisterTenantAsync(string tenantId, DateTimeOffset createdAt) => WriteAsync((c, tx) =>
        Prepared(c, tx, "INSERT OR IGNORE INTO directory_tenants (tenant_id, created_ticks) VALUES (@tenant, @at)",
            ("@tenant", tenantId), ("@at", createdAt.UtcTicks)).ExecuteNonQuery());

    public async Task<(IReadOnlyList<string> TenantIds, long? Next)> ListTenantsAsync(long after, int count) =>
        DirectoryReads.TenantPage(await ListAsync(DirectoryReads.Tenants, [("@after", after), ("@limit", count + 1)]), count);

    public Task WithdrawTenantAsync(string tenantId) => WriteAsync((c, tx) =>
    {
        foreach (var table in new[] { "directory_tenants", "directory_portals" })
            Prepared(c, tx, $"DELETE FROM {table} WHERE tenant_id = @tenant", ("@tenant", tenantId)).ExecuteNonQuery();
        return Prepared(c, tx, DeletedTenantFence.Raise, ("@tenant", tenantId)).ExecuteNonQuery();
    });

    public Task AppendAuditAsync(string tenantId, AuditEntry audit) => WriteAsync((c, tx) =>
    {
        InsertAudit(c, tx, tenantId, audit);
        return 0;
    });

    /// <summary>The write's audit record (O-5), numbered after the tenant's last.</summary>
    private static void InsertAudit(SqliteConnection c, SqliteTransaction tx, string tenantId, AuditEntry audit) =>
        Prepared(c, tx,
            $"""
            INSERT INTO directory_audit_log (tenant_id, seq, at_ticks, actor, action, target, request_id)
            VALUES (@tenant, {AuditNumbering.Next}, @at, @actor, @action, @target, @request)
            """,
            ("@tenant", tenantId), ("@at", audit.At.UtcTicks), ("@actor", audit.Actor), ("@action", audit.Action), ("@target", audit.Target),
            ("@request", audit.RequestId)).ExecuteNonQuery();

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenantId, long after, int count) =>
        ListAsync(DirectoryReads.Audit, [("@tenant", tenantId), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(string tenantId, long before, int count) =>
        ListAsync(DirectoryReads.RecentAudit, [("@tenant", tenantId), ("@before", before), ("@limit", count)]);

    public Task AppendEventsAsync(string tenantId, IReadOnlyList<DirectoryEvent> events) => WriteAsync((c, tx) =>
    {
        var command = Prepared(c, tx,
            "INSERT OR IGNORE INTO directory_events (tenant_id, type, subject, at_ticks, detail) VALUES (@tenant, @type, @subject, @at, @detail)",
            ("@tenant", tenantId), ("@type", ""), ("@subject", ""), ("@at", 0L), ("@detail", ""));
        foreach (var item in events)
        {
            command.Parameters["@type"].Value = item.Type;
            command.Parameters["@subject"].Value = item.Subject;
            command.Parameters["@at"].Value = item.At.UtcTicks;
            command.Parameters["@detail"].Value = item.Detail;
            command.ExecuteNonQuery();
        }
        return 0;
    });

    public Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(string tenantId, long after, int count) =>
        ListAsync(DirectoryReads.Events, [("@tenant", tenantId), ("@after", after), ("@limit", count)]);

    public Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(string tenantId, long before, int count) =>
        ListAsync(DirectoryReads.RecentEvents, [("@tenant", tenantId), ("@before", before), ("@limit", count)]);

    public Task<IReadOnlyList<(string TenantId, DirectoryEvent Event)>> ListAllEventsAsync(long after, int count) =>
        ListAsync(DirectoryReads.AllEvents, [("@after", after), ("@limit", count)]);

    private Task<IReadOnlyList<T>> ListAsync<T>(ListRead<T> read, (string, object?)[] parameters, [CallerMemberName] string operation = "") => ReadAsync(c =>
    {
        using var reader = Prepared(c, null, read.Sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read.Row(reader));
        return (IReadOnlyList<T>)rows;
    }, operation);

    /// <summary>Runs an insert or update; a taken unique value becomes <see cref="UniqueConstraintException"/> naming the attribute of its index.</summary>
    private static int ExecuteUnique(SqliteCommand command)
    {
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode is 2067 or 1555 && StoreUniqueness.AttributeOf(e.Message) is { } attribute) // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        {
            throw new UniqueConstraintException(attribute);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _writer.StopAsync();
        }
        finally
        {
            _readers.Close();
        }
    }
}
