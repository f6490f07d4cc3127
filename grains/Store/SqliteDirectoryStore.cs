using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using System.Data.Common;
using System.Text.Json;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using IdentityDirectory.Telemetry;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>
/// The directory store on an embedded SQLite file. SQLite has one writer, so writes are queued to one
/// connection, on a thread of its own, and committed in groups (one fsync for many writes) rather than
/// spinning on SQLITE_BUSY; reads use connections kept open with their compiled statements and run
/// beside writes under WAL.
/// </summary>
public sealed class SqliteDirectoryStore : IDirectoryStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private const int MaxBatch = 256;
    // Only the writer thread waits on the channel, so a write may wake it directly rather than through a thread-pool work item.
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Task _writer;
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
        _writer = StartWriter();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Queues a write for the writer, which commits every write waiting at that moment in one
    /// transaction (group commit); a failing write rolls back alone (see <see cref="CommitBatch"/>).
    /// The task completes only after the commit, so an acknowledged write is durable.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, DbTransaction, Task<T>> work, [CallerMemberName] string operation = "")
    {
        var started = _metrics.StoreCallStarting();
        try
        {
            var pending = new PendingWrite(async (c, tx) => await work(c, tx));
            await _writes.Writer.WriteAsync(pending);
            var result = (T)(await pending.Completion.Task)!;
            _metrics.StoreCallEnded(started, operation, null);
            return result;
        }
        catch (Exception e)
        {
            _metrics.StoreCallEnded(started, operation, e);
            throw;
        }
    }

    /// <summary>
    /// The writer spends its life blocked in SQLite (statements, then the commit's fsync). On a
    /// thread-pool worker it took one of the workers the pool sizes to the cores away from the
    /// requests; on a thread of its own, writes ran 6 – 10% faster (bench/PROFILE.md, "Sixth look").
    /// </summary>
    private Task StartWriter()
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunWriter();
                stopped.SetResult();
            }
            catch (Exception e)
            {
                // Writes queued now, or later, fail rather than wait for a writer that is gone.
                _writes.Writer.TryComplete(e);
                while (_writes.Reader.TryRead(out var pending))
                    pending.Completion.TrySetException(e);
                stopped.SetException(e);
            }
        })
        { IsBackground = true, Name = "Directory store writer" };
        thread.Start();
        return stopped.Task;
    }

    private void RunWriter()
    {
        var connection = Open();
        try
        {
            using (var durable = connection.CreateCommand())
            {
                // Statement and savepoint journals stay in memory; in temporary files they cost a tenth of the CPU of deletes (bench/PROFILE.md).
                durable.CommandText = "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;";
                durable.ExecuteNonQuery();
            }
            var batch = new List<PendingWrite>(MaxBatch);
            var isolateNext = false;
            while (_writes.Reader.TryPeek(out _) || _writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
                    batch.Add(next);
                isolateNext = CommitBatch(connection, batch, isolateNext);
                _metrics.Committed(batch.Count);
                batch.Clear();
            }
        }
        finally
        {
            Close(connection);
        }
    }

    /// <summary>
    /// Runs a group of writes in one transaction. A savepoint per write costs about as much as the
    /// write itself (bench/PROFILE.md), and almost every group commits whole, so the group first runs
    /// without them; when one of its writes fails, the group is rolled back and run again with a
    /// savepoint around each write, so that the failing write rolls back alone. While writes keep
    /// failing (a tenant at its quota, a client retrying a conflict), groups start with savepoints, so
    /// they are not all run twice.
    /// </summary>
    /// <returns>Whether a write of the group failed.</returns>
    private static bool CommitBatch(SqliteConnection connection, List<PendingWrite> batch, bool isolate)
    {
        (object? Result, Exception? Error)[] outcomes;
        try
        {
            outcomes = (isolate ? null : RunGroup(connection, batch, isolated: false)) ?? RunGroup(connection, batch, isolated: true)!;
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
                pending.Completion.TrySetException(e);
            return true;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error)
                batch[i].Completion.TrySetException(error);
            else
                batch[i].Completion.TrySetResult(outcomes[i].Result);
        }
        return outcomes.Any(outcome => outcome.Error is not null);
    }

    /// <returns>Each write's outcome, or null when a write failed in a group run without savepoints (nothing was committed).</returns>
    private static (object? Result, Exception? Error)[]? RunGroup(SqliteConnection connection, List<PendingWrite> batch, bool isolated)
    {
        var outcomes = new (object? Result, Exception? Error)[batch.Count];
        using var transaction = connection.BeginTransaction();
        for (var i = 0; i < batch.Count; i++)
        {
            if (isolated)
                transaction.Save("w");
            try
            {
                // Microsoft.Data.Sqlite completes its async methods synchronously, so this waits on SQLite alone.
                outcomes[i] = (batch[i].Work(connection, transaction).GetAwaiter().GetResult(), null);
            }
            catch (Exception e) when (!isolated)
            {
                transaction.Rollback();
                return batch.Count == 1 ? [(null, e)] : null;
            }
            catch (Exception e)
            {
                transaction.Rollback("w");
                outcomes[i] = (null, e);
            }
            if (isolated)
                transaction.Release("w");
        }
        transaction.Commit();
        return outcomes;
    }

    private sealed record PendingWrite(Func<SqliteConnection, DbTransaction, Task<object?>> Work)
    {
        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Runs a read on a connection lent to it alone (<see cref="SqliteReaderPool"/>), with its statements compiled once (<see cref="Prepared"/>).</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, [CallerMemberName] string operation = "")
    {
        var started = _metrics.StoreCallStarting();
        try
        {
            var connection = _readers.Take();
            try
            {
                var result = await work(connection);
                _metrics.StoreCallEnded(started, operation, null);
                return result;
            }
            finally
            {
                _readers.Return(connection);
            }
        }
        catch (Exception e)
        {
            _metrics.StoreCallEnded(started, operation, e);
            throw;
        }
    }

    public async Task CheckAsync()
    {
        // The write changes a row, so its commit reaches the disk: one that changed nothing would not touch the file.
        await WriteAsync(async (c, tx) =>
            await Prepared(c, tx, "INSERT INTO directory_heartbeat (id, beats) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET beats = beats + 1")
                .ExecuteNonQueryAsync());
        await ReadAsync(async c => await Query(c, "SELECT beats FROM directory_heartbeat WHERE id = 1").ExecuteScalarAsync());
    }

    public Task<StoredResource?> GetUserAsync(string tenantId, string userId) =>
        ReadAsync(c => GetResourceAsync(c, "directory_users", "signed_in", tenantId, userId));

    public Task<StoredResource?> GetGroupAsync(string tenantId, string groupId) =>
        ReadAsync(c => GetResourceAsync(c, "directory_groups", "0", tenantId, groupId));

    private static async Task<StoredResource?> GetResourceAsync(SqliteConnection connection, string table, string signedIn, string tenantId, string id)
    {
        var command = Query(connection,
            $"SELECT version, created_ticks, modified_ticks, resource, {signedIn} FROM {table} WHERE tenant_id = @t AND id = @id",
            ("@t", tenantId), ("@id", id));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return new StoredResource(id, reader.GetInt64(0), FromTicks(reader.GetInt64(1)), FromTicks(reader.GetInt64(2)), reader.GetFieldValue<byte[]>(3),
            reader.GetInt64(4) == 1);
    }

    public Task MarkSignedInAsync(string tenantId, string userId) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "UPDATE directory_users SET signed_in = 1 WHERE tenant_id = @t AND id = @id",
            ("@t", tenantId), ("@id", userId));
        return await command.ExecuteNonQueryAsync();
    });

    public Task<bool> UserExistsAsync(string tenantId, string userId) => ReadAsync(async c =>
    {
        var command = Query(c, "SELECT 1 FROM directory_users WHERE tenant_id = @t AND id = @id", ("@t", tenantId), ("@id", userId));
        return await command.ExecuteScalarAsync() is not null;
    });

    public Task InsertUserAsync(string tenantId, UserRow user, int defaultQuota, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        await AdmitResourceAsync(c, tx, tenantId, "users", defaultQuota);
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_users (tenant_id, id, user_name_lc, external_id, email_lc, manager_id, version, created_ticks, modified_ticks, resource, search)
            VALUES (@t, @id, @userName, @externalId, @email, @manager, @version, @created, @modified, @resource, CAST(@search AS TEXT))
            """,
            UserParameters(tenantId, user));
        await ExecuteUniqueAsync(command, UserUniqueAttribute);
        return 0;
    });

    public Task UpdateUserAsync(string tenantId, UserRow user, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        var command = Prepared(c, tx, user.KeysChanged ? UpdateUserWithKeys : UpdateUser, UserParameters(tenantId, user));
        if (await ExecuteUniqueAsync(command, UserUniqueAttribute) == 0)
            throw new StaleWriteException();
        return 0;
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

    public Task<bool> DeleteUserAsync(string tenantId, string userId, AuditEntry audit, bool keepAssignments = false) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        // The user's membership edges go by cascade, which the groups' member counts do not see.
        var counts = Prepared(c, tx,
            """
            UPDATE directory_groups SET member_count = member_count - 1
            FROM directory_members m WHERE m.tenant_id = @t AND m.user_id = @id AND directory_groups.seq = m.group_seq
            """,
            ("@t", tenantId), ("@id", userId));
        await counts.ExecuteNonQueryAsync();
        return await DeleteResourceAsync(c, tx, "directory_users", "users", tenantId, userId, keepAssignments);
    });

    public Task<bool> DeleteGroupAsync(string tenantId, string groupId, AuditEntry audit, bool keepAssignments = false) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        return await DeleteResourceAsync(c, tx, "directory_groups", "groups", tenantId, groupId, keepAssignments);
    });

    /// <summary>Deletes a user or group row (its edges by cascade), its usage count and, unless kept (I-2), its assignments.</summary>
    private static async Task<bool> DeleteResourceAsync(SqliteConnection c, DbTransaction tx, string table, string usageColumn,
        string tenantId, string id, bool keepAssignments)
    {
        var command = Prepared(c, tx, $"DELETE FROM {table} WHERE tenant_id = @t AND id = @id", ("@t", tenantId), ("@id", id));
        if (await command.ExecuteNonQueryAsync() == 0)
            return false;
        var usage = Prepared(c, tx, $"UPDATE directory_usage SET {usageColumn} = {usageColumn} - 1 WHERE tenant_id = @t", ("@t", tenantId));
        await usage.ExecuteNonQueryAsync();
        if (!keepAssignments)
        {
            var assignments = Prepared(c, tx, "DELETE FROM directory_assignments WHERE tenant_id = @t AND principal_id = @id",
                ("@t", tenantId), ("@id", id));
            await assignments.ExecuteNonQueryAsync();
        }
        return true;
    }

    public Task InsertGroupAsync(string tenantId, GroupRow group, IReadOnlyCollection<string> memberIds, int defaultQuota, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        await AdmitResourceAsync(c, tx, tenantId, "groups", defaultQuota);
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_groups (tenant_id, id, display_name_lc, external_id, version, created_ticks, modified_ticks, resource, search)
            VALUES (@t, @id, @displayName, @externalId, @version, @created, @modified, @resource, CAST(@search AS TEXT))
            """,
            GroupParameters(tenantId, group));
        await ExecuteUniqueAsync(command, GroupUniqueAttribute);
        await ChangeMembersAsync(c, tx, tenantId, group.Id, new MembershipChange(memberIds, []));
        return 0;
    });

    public Task UpdateGroupAsync(string tenantId, string groupId, GroupRow? group, MembershipChange members, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        if (group is not null)
        {
            var command = Prepared(c, tx, group.KeysChanged ? UpdateGroupWithKeys : UpdateGroup, GroupParameters(tenantId, group));
            if (await ExecuteUniqueAsync(command, GroupUniqueAttribute) == 0)
                throw new StaleWriteException();
        }
        await ChangeMembersAsync(c, tx, tenantId, groupId, members);
        return 0;
    });

    private static async Task ChangeMembersAsync(SqliteConnection c, DbTransaction tx, string tenantId, string groupId, MembershipChange members)
    {
        if (members.IsEmpty)
            return;
        var groupSeq = Prepared(c, tx, "SELECT seq FROM directory_groups WHERE tenant_id = @t AND id = @id", ("@t", tenantId), ("@id", groupId));
        var seq = (long)(await groupSeq.ExecuteScalarAsync() ?? throw new StaleWriteException());

        var findUser = Prepared(c, tx, "SELECT seq FROM directory_users WHERE tenant_id = @t AND id = @u", ("@t", tenantId), ("@u", ""));
        var insert = Prepared(c, tx,
            "INSERT OR IGNORE INTO directory_members (tenant_id, group_id, group_seq, user_id, user_seq) VALUES (@t, @g, @gs, @u, @us)",
            ("@t", tenantId), ("@g", groupId), ("@gs", seq), ("@u", ""), ("@us", 0L));
        var delta = 0;
        foreach (var userId in members.Add)
        {
            findUser.Parameters["@u"].Value = userId;
            var userSeq = await findUser.ExecuteScalarAsync() ?? throw new UnknownMemberException(userId);
            insert.Parameters["@u"].Value = userId;
            insert.Parameters["@us"].Value = userSeq;
            delta += await insert.ExecuteNonQueryAsync();
        }

        var remove = Prepared(c, tx,
            "DELETE FROM directory_members WHERE tenant_id = @t AND user_id = @u AND group_seq = @gs",
            ("@t", tenantId), ("@u", ""), ("@gs", seq));
        foreach (var userId in members.Remove)
        {
            remove.Parameters["@u"].Value = userId;
            delta -= await remove.ExecuteNonQueryAsync();
        }

        // The member count answers totalResults of a group's member list without counting 100,000 edges.
        var count = Prepared(c, tx, "UPDATE directory_groups SET member_count = member_count + @delta WHERE seq = @gs",
            ("@delta", delta), ("@gs", seq));
        await count.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Lets a new user or group into a directory: never into a deleted tenant's (however late the create
    /// comes, <see cref="WithdrawTenantAsync"/>), and only within the tenant's quota, which it counts up.
    /// </summary>
    private static async Task AdmitResourceAsync(SqliteConnection c, DbTransaction tx, string tenantId, string column, int defaultQuota)
    {
        var deleted = Prepared(c, tx, "SELECT 1 FROM directory_deleted_tenants WHERE tenant_id = @t", ("@t", DirectoryPartition.TenantOf(tenantId)));
        if (await deleted.ExecuteScalarAsync() is not null)
            throw new TenantDeletedException();
        // One statement: the tenant's first resource creates its usage row, later ones count up within the quota.
        var (quotaColumn, first) = column == "users" ? ("user_quota", "1, 0") : ("group_quota", "0, 1");
        var reserve = Prepared(c, tx,
            $"""
            INSERT INTO directory_usage (tenant_id, users, groups) SELECT @t, {first} WHERE @quota > 0
            ON CONFLICT (tenant_id) DO UPDATE SET {column} = {column} + 1 WHERE {column} < COALESCE({quotaColumn}, @quota)
            """,
            ("@t", tenantId), ("@quota", defaultQuota));
        if (await reserve.ExecuteNonQueryAsync() == 0)
            throw new QuotaExceededException(column);
    }

    public Task<ResourcePage> QueryUsersAsync(string tenantId, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => PageAsync(c, ResourceQuerySql.Users(SqlDialect.Sqlite, tenantId, query, page)));

    public Task<ResourcePage> QueryGroupsAsync(string tenantId, ResourceQuery query, PageRequest page) =>
        ReadAsync(c => PageAsync(c, ResourceQuerySql.Groups(SqlDialect.Sqlite, tenantId, query, page)));

    private static async Task<ResourcePage> PageAsync(SqliteConnection c, PageQuery query)
    {
        if (query.GuardSql is not null && Convert.ToInt64(await Query(c, query.GuardSql, query.GuardParameters).ExecuteScalarAsync()) > query.ScanLimit)
            throw new TooManyResultsException(query.ScanLimit);
        var resources = new List<PageItem>(Math.Min(query.Page.Count, 100));
        await using (var reader = await Query(c, query.Sql, query.Parameters).ExecuteReaderAsync())
        {
            if (query.Page.CursorMode)
            {
                long last = 0;
                while (await reader.ReadAsync())
                {
                    if (resources.Count == query.Page.Count)
                        return new ResourcePage(resources, null, last);
                    last = reader.GetInt64(0);
                    resources.Add(new PageItem(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
                }
                return new ResourcePage(resources, null, null);
            }
            while (await reader.ReadAsync())
                resources.Add(new PageItem(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }
        var total = Convert.ToInt32(await Query(c, query.CountSql!, query.CountParameters).ExecuteScalarAsync());
        return new ResourcePage(resources, total, null);
    }

    public Task<IReadOnlyList<Membership>> MembersOfAsync(string tenantId, IReadOnlyCollection<string> groupIds, IReadOnlyCollection<string>? userIds = null) =>
        userIds is null
            ? MembershipsAsync(tenantId, groupIds, null,
                "SELECT group_id, user_id FROM directory_members WHERE tenant_id = @t AND group_id IN (SELECT value FROM json_each(@ids)) ORDER BY group_id, user_seq")
            : MembershipsAsync(tenantId, groupIds, userIds,
                """
                SELECT group_id, user_id FROM directory_members
                WHERE tenant_id = @t AND user_id IN (SELECT value FROM json_each(@users)) AND group_id IN (SELECT value FROM json_each(@ids))
                """);

    public Task<IReadOnlyList<Membership>> GroupsOfAsync(string tenantId, IReadOnlyCollection<string> userIds) =>
        MembershipsAsync(tenantId, userIds, null,
            "SELECT group_id, user_id FROM directory_members WHERE tenant_id = @t AND user_id IN (SELECT value FROM json_each(@ids)) ORDER BY user_id, group_seq");

    /// <summary>Edges of the given ids in one statement: the ids travel as one JSON array, so the statement is compiled once whatever their number.</summary>
    private Task<IReadOnlyList<Membership>> MembershipsAsync(string tenantId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string>? users,
        string sql, [CallerMemberName] string operation = "") => ReadAsync(async c =>
    {
        var command = Query(c, sql, ("@t", tenantId), ("@ids", JsonSerializer.Serialize(ids)), ("@users", users is null ? null : JsonSerializer.Serialize(users)));
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Membership>();
        while (await reader.ReadAsync())
            edges.Add(new Membership(reader.GetString(0), reader.GetString(1)));
        return (IReadOnlyList<Membership>)edges;
    }, operation);

    public Task AddAssignmentAsync(string partition, Assignment assignment, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        var table = assignment.PrincipalType == "Group" ? "directory_groups" : "directory_users";
        var exists = Prepared(c, tx, $"SELECT 1 FROM {table} WHERE tenant_id = @t AND id = @id", ("@t", partition), ("@id", assignment.PrincipalId));
        if (await exists.ExecuteScalarAsync() is null)
            throw new UnknownPrincipalException(assignment.PrincipalId);
        await InsertAuditAsync(c, tx, partition, audit);
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_assignments (tenant_id, id, principal_type, principal_id, target, permission_set, created_ticks)
            VALUES (@t, @id, @type, @principal, @target, @permissionSet, @created)
            """,
            ("@t", partition), ("@id", assignment.Id), ("@type", assignment.PrincipalType), ("@principal", assignment.PrincipalId),
            ("@target", assignment.Target), ("@permissionSet", assignment.PermissionSet), ("@created", assignment.CreatedAt.UtcTicks));
        return await ExecuteUniqueAsync(command, _ => "assignment");
    });

    public Task<bool> DeleteAssignmentAsync(string partition, string assignmentId, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "DELETE FROM directory_assignments WHERE tenant_id = @t AND id = @id", ("@t", partition), ("@id", assignmentId));
        if (await command.ExecuteNonQueryAsync() == 0)
            return false; // nothing was deleted, so nothing is audited (O-5)
        await InsertAuditAsync(c, tx, partition, audit);
        return true;
    });

    public Task<IReadOnlyList<Assignment>> ListAssignmentsAsync(string partition, string? principalId, string? target, long after, int count) => ReadAsync(async c =>
    {
        var command = Query(c,
            """
            SELECT id, principal_type, principal_id, target, permission_set, created_ticks, seq FROM directory_assignments
            WHERE tenant_id = @t AND (@principal IS NULL OR principal_id = @principal) AND (@target IS NULL OR target = @target) AND seq > @after
            ORDER BY seq LIMIT @limit
            """,
            ("@t", partition), ("@principal", principalId), ("@target", target), ("@after", after), ("@limit", count));
        await using var reader = await command.ExecuteReaderAsync();
        var assignments = new List<Assignment>();
        while (await reader.ReadAsync())
            assignments.Add(new Assignment(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                FromTicks(reader.GetInt64(5)), reader.GetInt64(6)));
        return (IReadOnlyList<Assignment>)assignments;
    });

    public Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(string partition, string userId) => ReadAsync(async c =>
    {
        var command = Query(c,
            """
            SELECT DISTINCT target, permission_set FROM directory_assignments
            WHERE tenant_id = @t AND (principal_id = @u
                OR principal_id IN (SELECT group_id FROM directory_members WHERE tenant_id = @t AND user_id = @u))
            ORDER BY target, permission_set
            """,
            ("@t", partition), ("@u", userId));
        await using var reader = await command.ExecuteReaderAsync();
        var grants = new List<AccessGrant>();
        while (await reader.ReadAsync())
            grants.Add(new AccessGrant(reader.GetString(0), reader.GetString(1)));
        return (IReadOnlyList<AccessGrant>)grants;
    });

    public Task RequirePasswordResetAsync(string partition) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "UPDATE directory_users SET password_reset = 1 WHERE tenant_id = @t", ("@t", partition));
        return await command.ExecuteNonQueryAsync();
    });

    public Task<bool> PasswordResetRequiredAsync(string partition, string userId) => ReadAsync(async c =>
    {
        var command = Query(c, "SELECT password_reset FROM directory_users WHERE tenant_id = @t AND id = @id", ("@t", partition), ("@id", userId));
        return await command.ExecuteScalarAsync() is long flag && flag == 1;
    });

    /// <summary>The tables that hold a directory's rows, in the order a purge empties them (the usage counter last).</summary>
    private static readonly string[] DirectoryTables = ["directory_members", "directory_assignments", "directory_users", "directory_groups", "directory_usage"];

    /// <summary>A tenant's rows: its directories' and its own, which are keyed by the tenant id alone.</summary>
    private static readonly string[] TenantTables = ["directory_events", "directory_audit_log", .. DirectoryTables];

    public Task<bool> PurgePartitionAsync(string partition, int batch) =>
        PurgeAsync(DirectoryTables, "tenant_id = @t", batch, [("@t", partition)]);

    public Task<bool> PurgeTenantAsync(string tenantId, int batch)
    {
        var later = DirectoryPartition.LaterGenerations(tenantId);
        return PurgeAsync(TenantTables, "(tenant_id = @t OR (tenant_id >= @from AND tenant_id < @before))", batch,
            [("@t", tenantId), ("@from", later.From), ("@before", later.Before)]);
    }

    /// <summary>
    /// Deletes up to <paramref name="batch"/> rows matching <paramref name="where"/>, table after table, in one
    /// small transaction, so that other tenants' writes interleave with a purge of any size.
    /// </summary>
    /// <returns>Whether the batch was used up, so rows may remain.</returns>
    private Task<bool> PurgeAsync(string[] tables, string where, int batch, (string, object?)[] parameters, [CallerMemberName] string operation = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1); // LIMIT 0 would purge nothing forever, a negative LIMIT everything at once
        return WriteAsync(async (c, tx) =>
        {
            var left = batch;
            foreach (var table in tables)
            {
                var key = table switch
                {
                    "directory_members" => "tenant_id, group_id, user_seq", // tables without a rowid go by their primary key
                    "directory_audit_log" => "tenant_id, seq",
                    _ => "rowid",
                };
                var command = Prepared(c, tx, $"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {where} LIMIT @n)",
                    [.. parameters, ("@n", left)]);
                left -= await command.ExecuteNonQueryAsync();
                if (left == 0)
                    return true;
            }
            return false;
        }, operation);
    }

    public Task SetPortalAsync(string identityStoreId, string tenantId) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "INSERT OR REPLACE INTO directory_portals (identity_store_id, tenant_id) VALUES (@s, @t)",
            ("@s", identityStoreId), ("@t", tenantId));
        return await command.ExecuteNonQueryAsync();
    });

    public Task RemovePortalAsync(string identityStoreId) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "DELETE FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId));
        return await command.ExecuteNonQueryAsync();
    });

    public Task<string?> FindPortalTenantAsync(string identityStoreId) => ReadAsync(async c =>
    {
        var command = Query(c, "SELECT tenant_id FROM directory_portals WHERE identity_store_id = @s", ("@s", identityStoreId));
        return await command.ExecuteScalarAsync() as string;
    });

    public Task SetQuotasAsync(string tenantId, int users, int groups) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_usage (tenant_id, users, groups, user_quota, group_quota) VALUES (@t, 0, 0, @users, @groups)
            ON CONFLICT (tenant_id) DO UPDATE SET user_quota = excluded.user_quota, group_quota = excluded.group_quota
            """,
            ("@t", tenantId), ("@users", users), ("@groups", groups));
        return await command.ExecuteNonQueryAsync();
    });

    public Task RegisterTenantAsync(string tenantId, DateTimeOffset createdAt) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx, "INSERT OR IGNORE INTO directory_tenants (tenant_id, created_ticks) VALUES (@t, @at)",
            ("@t", tenantId), ("@at", createdAt.UtcTicks));
        return await command.ExecuteNonQueryAsync();
    });

    public Task<(IReadOnlyList<string> TenantIds, long? Next)> ListTenantsAsync(long after, int count) => ReadAsync(async c =>
    {
        var command = Query(c, "SELECT seq, tenant_id FROM directory_tenants WHERE seq > @after ORDER BY seq LIMIT @limit",
            ("@after", after), ("@limit", count + 1));
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        long last = 0;
        while (await reader.ReadAsync())
        {
            if (ids.Count == count)
                return ((IReadOnlyList<string>)ids, (long?)last);
            last = reader.GetInt64(0);
            ids.Add(reader.GetString(1));
        }
        return (ids, null);
    });

    public Task WithdrawTenantAsync(string tenantId) => WriteAsync(async (c, tx) =>
    {
        foreach (var table in new[] { "directory_tenants", "directory_portals" })
        {
            var command = Prepared(c, tx, $"DELETE FROM {table} WHERE tenant_id = @t", ("@t", tenantId));
            await command.ExecuteNonQueryAsync();
        }
        var deleted = Prepared(c, tx, "INSERT OR IGNORE INTO directory_deleted_tenants (tenant_id) VALUES (@t)", ("@t", tenantId));
        await deleted.ExecuteNonQueryAsync();
        return 0;
    });

    public Task AppendAuditAsync(string tenantId, AuditEntry audit) => WriteAsync(async (c, tx) =>
    {
        await InsertAuditAsync(c, tx, tenantId, audit);
        return 0;
    });

    private static async Task InsertAuditAsync(SqliteConnection c, DbTransaction tx, string tenantId, AuditEntry audit)
    {
        var command = Prepared(c, tx,
            """
            INSERT INTO directory_audit_log (tenant_id, seq, at_ticks, actor, action, target, request_id)
            VALUES (@t, COALESCE((SELECT seq FROM directory_audit_log WHERE tenant_id = @t ORDER BY seq DESC LIMIT 1), 0) + 1,
                    @at, @actor, @action, @target, @request)
            """,
            ("@t", DirectoryPartition.TenantOf(tenantId)), ("@at", audit.At.UtcTicks), ("@actor", audit.Actor), ("@action", audit.Action), ("@target", audit.Target), ("@request", audit.RequestId));
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenantId, long after, int count) =>
        ReadAuditAsync("seq > @at ORDER BY seq", tenantId, after, count);

    public Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(string tenantId, long before, int count) =>
        ReadAuditAsync("seq < @at ORDER BY seq DESC", tenantId, before, count);

    private Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string range, string tenantId, long position, int count, [CallerMemberName] string operation = "") => ReadAsync(async c =>
    {
        var command = Query(c,
            $"SELECT seq, at_ticks, actor, action, target, request_id FROM directory_audit_log WHERE tenant_id = @t AND {range} LIMIT @limit",
            ("@t", tenantId), ("@at", position), ("@limit", count));
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync())
            entries.Add(new AuditEntry(FromTicks(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(0)));
        return (IReadOnlyList<AuditEntry>)entries;
    }, operation);

    public Task AppendEventsAsync(string tenantId, IReadOnlyList<DirectoryEvent> events) => WriteAsync(async (c, tx) =>
    {
        var command = Prepared(c, tx,
            "INSERT OR IGNORE INTO directory_events (tenant_id, type, subject, at_ticks, detail) VALUES (@t, @type, @subject, @at, @detail)",
            ("@t", tenantId), ("@type", ""), ("@subject", ""), ("@at", 0L), ("@detail", ""));
        foreach (var item in events)
        {
            command.Parameters["@type"].Value = item.Type;
            command.Parameters["@subject"].Value = item.Subject;
            command.Parameters["@at"].Value = item.At.UtcTicks;
            command.Parameters["@detail"].Value = item.Detail;
            await command.ExecuteNonQueryAsync();
        }
        return 0;
    });

    public Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(string tenantId, long after, int count) =>
        ReadEventsAsync("seq > @at ORDER BY seq", tenantId, after, count);

    public Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(string tenantId, long before, int count) =>
        ReadEventsAsync("seq < @at ORDER BY seq DESC", tenantId, before, count);

    private Task<IReadOnlyList<DirectoryEvent>> ReadEventsAsync(string range, string tenantId, long position, int count, [CallerMemberName] string operation = "") => ReadAsync(async c =>
    {
        var command = Query(c,
            $"SELECT seq, type, subject, at_ticks, detail FROM directory_events WHERE tenant_id = @t AND {range} LIMIT @limit",
            ("@t", tenantId), ("@at", position), ("@limit", count));
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<DirectoryEvent>();
        while (await reader.ReadAsync())
            events.Add(ReadEvent(reader));
        return (IReadOnlyList<DirectoryEvent>)events;
    }, operation);

    public Task<IReadOnlyList<(string TenantId, DirectoryEvent Event)>> ListAllEventsAsync(long after, int count) => ReadAsync(async c =>
    {
        var command = Query(c,
            "SELECT seq, type, subject, at_ticks, detail, tenant_id FROM directory_events WHERE seq > @after ORDER BY seq LIMIT @limit",
            ("@after", after), ("@limit", count));
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(string, DirectoryEvent)>();
        while (await reader.ReadAsync())
            events.Add((reader.GetString(5), ReadEvent(reader)));
        return (IReadOnlyList<(string, DirectoryEvent)>)events;
    });

    private static DirectoryEvent ReadEvent(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), FromTicks(reader.GetInt64(3)), reader.GetString(4));

    private static (string, object?)[] UserParameters(string tenantId, UserRow user) =>
    [
        ("@t", tenantId), ("@id", user.Id), ("@userName", user.Keys.UserNameLower), ("@externalId", user.Keys.ExternalId),
        ("@email", user.Keys.EmailLower), ("@manager", user.Keys.ManagerId), ("@version", user.Version),
        ("@created", user.Created.UtcTicks), ("@modified", user.LastModified.UtcTicks), ("@resource", user.Json),
        ("@search", user.Search),
    ];

    private static (string, object?)[] GroupParameters(string tenantId, GroupRow group) =>
    [
        ("@t", tenantId), ("@id", group.Id), ("@displayName", group.DisplayNameLower), ("@externalId", group.ExternalId),
        ("@version", group.Version), ("@created", group.Created.UtcTicks), ("@modified", group.LastModified.UtcTicks), ("@resource", group.Json),
        ("@search", group.Search),
    ];

    private static string UserUniqueAttribute(string message) =>
        message.Contains("user_name_lc") ? "userName" : message.Contains("external_id") ? "externalId" : message.Contains("email_lc") ? "emails" : "id";

    private static string GroupUniqueAttribute(string message) =>
        message.Contains("display_name_lc") ? "displayName" : message.Contains("external_id") ? "externalId" : "id";

    private static async Task<int> ExecuteUniqueAsync(SqliteCommand command, Func<string, string> attributeOf)
    {
        try
        {
            return await command.ExecuteNonQueryAsync();
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode is 2067 or 1555) // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        {
            throw new UniqueConstraintException(attributeOf(e.Message));
        }
    }

    /// <summary>
    /// The command for <paramref name="sql"/> on this connection, compiled once and reused by every
    /// later call: the writer's and the readers' connections live as long as the store, most writes
    /// run four to six statements, and compiling a list query and its count on every read cost a
    /// filter a fifth of its CPU (bench/PROFILE.md, "Sixth look"). A connection serves one write group
    /// or one read at a time, so a command is never in use twice; callers must not dispose it.
    /// </summary>
    private static SqliteCommand Prepared(SqliteConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var statements = Statements.GetOrCreateValue(connection);
        if (!statements.TryGetValue(sql, out var command))
        {
            // Filters compile to as many texts as clients write shapes of filter: past a bound, start again.
            if (statements.Count >= MaxStatements)
            {
                foreach (var statement in statements.Values)
                    statement.Dispose();
                statements.Clear();
            }
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements[sql] = command;
        }
        command.Transaction = (SqliteTransaction?)transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>A read's command: <see cref="Prepared"/> outside any transaction.</summary>
    private static SqliteCommand Query(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Prepared(connection, null, sql, parameters);

    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Statements = new();

    /// <summary>Far above the statements of the product's own shapes (a few dozen), so only unusual filters are ever compiled again.</summary>
    private const int MaxStatements = 256;

    private static void Close(SqliteConnection connection)
    {
        if (Statements.TryGetValue(connection, out var statements))
        {
            foreach (var statement in statements.Values)
                statement.Dispose();
        }
        connection.Dispose();
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        try
        {
            await _writer;
        }
        finally
        {
            _readers.Close();
        }
    }
}
