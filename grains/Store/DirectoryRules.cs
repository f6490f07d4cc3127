namespace IdentityDirectory.Store;

/// <summary>
/// The product rules the directory store decides itself, in SQL, inside the transaction of the write
/// they guard: one nested class per rule, named with its rule ids. Both engines build their writes
/// from the statements here. SQLite has one writer, so a read in a write's transaction is still true
/// at its commit; PostgreSQL takes writes from several silos at once, so where a rule reads before it
/// writes, the lock that keeps the read true until the commit sits beside the statement
/// (<c>Postgres…</c> members), whatever else serialises the writes. A statement that changes a
/// counter does it in place (<c>x = x + 1</c>), never from a value read earlier.
/// Parameters: <c>@t</c> the partition key, <c>@tenant</c> the tenant id, <c>@id</c> a user or group id.
/// </summary>
internal static class DirectoryRules
{
    /// <summary>The kinds of resource a directory counts and limits.</summary>
    public enum Resource { Users, Groups }

    /// <summary>
    /// R-AWS-1, O-3: a directory holds at most its quota of users and of groups (the tenant's own, else
    /// the product's default). A create counts itself in and a delete counts itself out, in the same
    /// statement that checks the limit, so the count is exact and two creates cannot both take the
    /// last place: on PostgreSQL the upsert locks the row and checks the limit on its latest version.
    /// The counts also answer <c>totalResults</c> of an unfiltered list (R-LST-4) without a scan.
    /// </summary>
    public static class Quota
    {
        /// <summary>Counts a new resource in; no row changed = the quota is reached. <c>@quota</c>: the default quota.</summary>
        public static string Reserve(Resource resource) => resource == Resource.Users ? ReserveUser : ReserveGroup;

        /// <summary>Counts a deleted resource out, in the delete's transaction.</summary>
        public static string Release(Resource resource) => resource == Resource.Users ? ReleaseUser : ReleaseGroup;

        public static string CountColumn(Resource resource) => resource == Resource.Users ? "users" : "groups";

        /// <summary>Sets the directory's own quotas (<c>@users</c>, <c>@groups</c>), keeping its counts.</summary>
        public const string Set =
            """
            INSERT INTO directory_usage (tenant_id, users, groups, user_quota, group_quota) VALUES (@t, 0, 0, @users, @groups)
            ON CONFLICT (tenant_id) DO UPDATE SET user_quota = excluded.user_quota, group_quota = excluded.group_quota
            """;

        // One statement: the directory's first resource creates its row, later ones count up within the quota.
        private static string ReserveStatement(string count, string quota, string first) =>
            $"""
            INSERT INTO directory_usage (tenant_id, users, groups) SELECT @t, {first} WHERE @quota > 0
            ON CONFLICT (tenant_id) DO UPDATE SET {count} = directory_usage.{count} + 1
            WHERE directory_usage.{count} < COALESCE(directory_usage.{quota}, @quota)
            """;

        private static readonly string ReserveUser = ReserveStatement("users", "user_quota", "1, 0");
        private static readonly string ReserveGroup = ReserveStatement("groups", "group_quota", "0, 1");
        private const string ReleaseUser = "UPDATE directory_usage SET users = users - 1 WHERE tenant_id = @t";
        private const string ReleaseGroup = "UPDATE directory_usage SET groups = groups - 1 WHERE tenant_id = @t";
    }

    /// <summary>
    /// O-2: once a tenant is deleted, no user or group is created in any of its directories, however
    /// late a create admitted before the deletion comes; the tenant's rows then go by its purge.
    /// Withdrawing the tenant raises the fence; every create checks it in its own transaction.
    /// </summary>
    public static class DeletedTenantFence
    {
        public const string Raise = "INSERT INTO directory_deleted_tenants (tenant_id) VALUES (@tenant) ON CONFLICT (tenant_id) DO NOTHING";

        /// <summary>A row = the tenant was deleted: refuse the create.</summary>
        public const string IsRaised = "SELECT 1 FROM directory_deleted_tenants WHERE tenant_id = @tenant";

        /// <summary>
        /// PostgreSQL, before <see cref="IsRaised"/> in a create: a shared lock on the tenant, which
        /// creates hold together and the withdrawal alone (<see cref="PostgresBeforeRaise"/>). A create
        /// in flight holds the withdrawal until it commits, so its row is there for the purge; a create
        /// that starts later waits for the withdrawal's commit and then sees the fence.
        /// </summary>
        public static readonly string PostgresBeforeCheck = $"SELECT pg_advisory_xact_lock_shared({PostgresLocks.Fence}, hashtext(@tenant))";

        public static readonly string PostgresBeforeRaise = $"SELECT pg_advisory_xact_lock({PostgresLocks.Fence}, hashtext(@tenant))";
    }

    /// <summary>
    /// R-GRP-5, R-GRP-6, R-LST-4: a group's member count answers <c>totalResults</c> of its member list
    /// without counting its edges, so it moves by exactly the edges a write inserted or deleted, as the
    /// statements report them (adding a member twice or removing a non-member changes nothing).
    /// </summary>
    public static class MemberCount
    {
        /// <summary>The change of a group's count (<c>@delta</c>), set in place in the statement that writes the group.</summary>
        public const string Apply = "member_count = member_count + @delta";

        /// <summary>
        /// SQLite, when a user is deleted, before its row (and by cascade its edges) goes: every group
        /// the user is in counts one member less. The single writer makes the edges read here the edges
        /// the cascade deletes.
        /// </summary>
        public const string SqliteOnUserDelete =
            """
            UPDATE directory_groups SET member_count = member_count - 1
            FROM directory_members m WHERE m.tenant_id = @t AND m.user_id = @id AND directory_groups.seq = m.group_seq
            """;

        /// <summary>
        /// PostgreSQL, when a user is deleted, once its row is locked (<see cref="PostgresLockUser"/>, so
        /// no edge to it can be added): the user's edges are deleted and each group counts down by the
        /// edges this statement deleted. An edge a concurrent group write removed first is not returned,
        /// so it is not counted twice. Groups are locked in one order, so two such deletes cannot deadlock.
        /// </summary>
        public const string PostgresOnUserDelete =
            """
            WITH gone AS (DELETE FROM directory_members WHERE tenant_id = @t AND user_id = @id RETURNING group_seq),
                 locked AS (SELECT seq FROM directory_groups WHERE seq IN (SELECT group_seq FROM gone) ORDER BY seq FOR NO KEY UPDATE)
            UPDATE directory_groups g SET member_count = g.member_count - 1 FROM locked WHERE g.seq = locked.seq
            """;

        /// <summary>
        /// PostgreSQL: the lock a user delete takes first. It conflicts with the key-share lock an edge's
        /// foreign key takes on its user, so an edge added concurrently either commits before the delete
        /// reads the edges or is refused as naming no user.
        /// </summary>
        public const string PostgresLockUser = "SELECT 1 FROM directory_users WHERE tenant_id = @t AND id = @id FOR UPDATE";
    }

    /// <summary>
    /// O-5: every SCIM write and admin action leaves an audit record in the write's own transaction,
    /// numbered 1, 2, 3 … per tenant (all its directories' generations together) in commit order, so a
    /// reader paging by number after the last one it saw never misses a record committed later.
    /// </summary>
    public static class AuditNumbering
    {
        /// <summary>The tenant's next number: one more than its last (the primary key's last entry, not a scan).</summary>
        public const string Next = "COALESCE((SELECT seq FROM directory_audit_log WHERE tenant_id = @tenant ORDER BY seq DESC LIMIT 1), 0) + 1";

        /// <summary>
        /// PostgreSQL, before the audit insert: the tenant's numbering lock, held to the commit, so two
        /// writers cannot take the same number and numbers commit in order. It is also the tenant's write
        /// lock: <see cref="PostgresGroupCommitWriter"/> takes it for every tenant of a group before the
        /// group's first write, so a tenant's writes queue on it once per group, not once per write.
        /// </summary>
        public static readonly string PostgresLock = $"SELECT pg_advisory_xact_lock({PostgresLocks.Audit}, hashtext(@tenant))";
    }

    /// <summary>
    /// I-2: deleting a user or group deletes its assignments, unless the directory's identity source is
    /// ActiveDirectory; in the delete's own transaction, so an acknowledged delete leaves none behind.
    /// </summary>
    public static class AssignmentCleanup
    {
        public const string OnPrincipalDelete = "DELETE FROM directory_assignments WHERE tenant_id = @t AND principal_id = @id";

        /// <summary>
        /// PostgreSQL, when an assignment is added: the principal is read with a key-share lock, which a
        /// delete of it waits for (and which waits for a delete in flight), so an assignment cannot be
        /// added to a principal that a concurrent delete cleans up.
        /// </summary>
        public static string PostgresLockPrincipal(string table) => $"SELECT 1 FROM {table} WHERE tenant_id = @t AND id = @id FOR KEY SHARE";
    }

    /// <summary>
    /// T-8: health events are numbered in commit order across tenants, so the operator webhook, which
    /// delivers them by number after the last it delivered, never skips one. SQLite's single writer
    /// commits in number order; on PostgreSQL the numbering lock is held to the commit.
    /// </summary>
    public static class EventNumbering
    {
        public static readonly string PostgresLock = $"SELECT pg_advisory_xact_lock({PostgresLocks.Events}, 0)";
    }

    /// <summary>The PostgreSQL advisory lock classes of the store (first key of the two-key form).</summary>
    public static class PostgresLocks
    {
        public const int Schema = 0x49440000;
        public const int Fence = 0x49440001;
        public const int Audit = 0x49440002;
        public const int Events = 0x49440003;
    }
}
