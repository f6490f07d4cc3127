using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>The directory store's tables on SQLite; applied idempotently at start.</summary>
internal static class SqliteDirectorySchema
{
    /// <summary>Creates what is missing and moves the rows of tables that earlier versions created (<see cref="MigrateAudit"/>).</summary>
    public static void Apply(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Script;
        command.ExecuteNonQuery();
        AddSearchDocuments(connection, "directory_users", FilterScope.Users);
        AddSearchDocuments(connection, "directory_groups", FilterScope.Groups);
        // After the search documents: the index reads them (ResourceColumns, users' displayName).
        command.CommandText = "CREATE INDEX IF NOT EXISTS ix_directory_users_display_name_lc ON directory_users (tenant_id, json_extract(search, '$.displayName'))";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'directory_audit'";
        if (command.ExecuteScalar() is null)
            return;
        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.CommandText = MigrateAudit;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Audit rows used to sit in a rowid table numbered by AUTOINCREMENT, with an index for the listing
    /// by tenant: three b-trees written by every write. They now sit in one b-tree keyed by tenant and
    /// a per-tenant sequence (bench/PROFILE.md). Rows of the older table move over keeping their
    /// numbers, so cursors handed out before continue where they stopped; should the new table already
    /// hold rows of a tenant (an older version ran on the file in between and numbered from 1 again),
    /// that tenant's moved rows are numbered after them rather than dropped.
    /// </summary>
    private const string MigrateAudit =
        """
        INSERT INTO directory_audit_log (tenant_id, seq, at_ticks, actor, action, target, request_id)
            SELECT a.tenant_id, a.seq + COALESCE(held.last, 0), a.at_ticks, a.actor, a.action, a.target, a.request_id
            FROM directory_audit a
            LEFT JOIN (SELECT tenant_id, MAX(seq) AS last FROM directory_audit_log GROUP BY tenant_id) held ON held.tenant_id = a.tenant_id
            ORDER BY a.tenant_id, a.seq;
        DROP TABLE directory_audit;
        """;

    /// <summary>
    /// Rows written before filters read a <see cref="SearchDocument"/> get one, made from their stored
    /// resource, in transactions of a thousand rows; until every row has one, the store does not open.
    /// </summary>
    private static void AddSearchDocuments(SqliteConnection connection, string table, FilterScope scope)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = 'search'";
        if (command.ExecuteScalar() is null)
        {
            command.CommandText = $"ALTER TABLE {table} ADD COLUMN search TEXT NULL";
            command.ExecuteNonQuery();
        }
        while (true)
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            command.CommandText = $"SELECT seq, resource FROM {table} WHERE search IS NULL LIMIT 1000";
            var rows = new List<(long Seq, byte[] Resource)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }
            if (rows.Count == 0)
                return;
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = $"UPDATE {table} SET search = CAST(@search AS TEXT) WHERE seq = @seq";
            var search = update.Parameters.Add("@search", SqliteType.Blob);
            var seq = update.Parameters.Add("@seq", SqliteType.Integer);
            foreach (var row in rows)
            {
                var attributes = ResourceJson.Attributes(new ScimJson(row.Resource));
                attributes.Remove("members");
                search.Value = Store.SearchDocument.Of(attributes, scope);
                seq.Value = row.Seq;
                update.ExecuteNonQuery();
            }
            transaction.Commit();
            command.Transaction = null;
        }
    }

    private const string Script =
        """
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS directory_users (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            user_name_lc TEXT NOT NULL,
            external_id TEXT NULL,
            email_lc TEXT NULL,
            manager_id TEXT NULL,
            version INTEGER NOT NULL,
            created_ticks INTEGER NOT NULL,
            modified_ticks INTEGER NOT NULL,
            resource TEXT NOT NULL,
            search TEXT NULL,
            password_reset INTEGER NOT NULL DEFAULT 0,
            signed_in INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_id ON directory_users (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_user_name_lc ON directory_users (tenant_id, user_name_lc);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_external_id ON directory_users (tenant_id, external_id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_email_lc ON directory_users (tenant_id, email_lc);
        CREATE INDEX IF NOT EXISTS ix_directory_users_manager ON directory_users (tenant_id, manager_id) WHERE manager_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_directory_users_seq ON directory_users (tenant_id, seq);
        DROP INDEX IF EXISTS ix_directory_users_display_name;

        CREATE TABLE IF NOT EXISTS directory_groups (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            display_name_lc TEXT NOT NULL,
            external_id TEXT NULL,
            version INTEGER NOT NULL,
            created_ticks INTEGER NOT NULL,
            modified_ticks INTEGER NOT NULL,
            resource TEXT NOT NULL,
            search TEXT NULL,
            member_count INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_id ON directory_groups (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_display_name_lc ON directory_groups (tenant_id, display_name_lc);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_external_id ON directory_groups (tenant_id, external_id);
        CREATE INDEX IF NOT EXISTS ix_directory_groups_seq ON directory_groups (tenant_id, seq);

        CREATE TABLE IF NOT EXISTS directory_members (
            tenant_id TEXT NOT NULL,
            group_id TEXT NOT NULL,
            group_seq INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            user_seq INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, group_id, user_seq),
            FOREIGN KEY (tenant_id, group_id) REFERENCES directory_groups (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, user_id) REFERENCES directory_users (tenant_id, id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_members_user ON directory_members (tenant_id, user_id, group_seq);

        CREATE TABLE IF NOT EXISTS directory_assignments (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            principal_type TEXT NOT NULL,
            principal_id TEXT NOT NULL,
            target TEXT NOT NULL,
            permission_set TEXT NOT NULL,
            created_ticks INTEGER NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_assignments_id ON directory_assignments (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_assignments_grant ON directory_assignments (tenant_id, principal_id, target, permission_set);
        CREATE INDEX IF NOT EXISTS ix_directory_assignments_target ON directory_assignments (tenant_id, target);

        CREATE TABLE IF NOT EXISTS directory_portals (
            identity_store_id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS directory_tenants (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL UNIQUE,
            created_ticks INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS directory_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            detail TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_events_key ON directory_events (tenant_id, type, subject, at_ticks);
        CREATE INDEX IF NOT EXISTS ix_directory_events_seq ON directory_events (tenant_id, seq);

        CREATE TABLE IF NOT EXISTS directory_audit_log (
            tenant_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at_ticks INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            request_id TEXT NULL,
            PRIMARY KEY (tenant_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS directory_deleted_tenants (
            tenant_id TEXT PRIMARY KEY
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS directory_heartbeat (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            beats INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS directory_usage (
            tenant_id TEXT PRIMARY KEY,
            users INTEGER NOT NULL,
            groups INTEGER NOT NULL,
            user_quota INTEGER NULL,
            group_quota INTEGER NULL);
        """;
}
