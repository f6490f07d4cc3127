using Npgsql;

namespace IdentityDirectory.Store;

/// <summary>
/// The directory store's tables on PostgreSQL, applied idempotently at start. Several silos may start
/// at once: the script runs in one transaction under an advisory lock, so one applies it and the
/// others find it applied (<c>CREATE … IF NOT EXISTS</c> alone races on the catalog).
/// Instants are .NET ticks (<c>bigint</c>), as on SQLite: they come back exactly as written, which
/// the event key (type, subject, instant) relies on; <c>timestamptz</c> would round them to microseconds.
/// Text compares and sorts by its bytes (<c>COLLATE "C"</c>), as on SQLite, whatever the database's
/// locale: the key range of a tenant's later partitions and the order of keyset pages depend on it.
/// </summary>
internal static class PostgresDirectorySchema
{
    public static void Apply(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({DirectoryRules.PostgresLocks.Schema}, 0)", connection, transaction))
            command.ExecuteNonQuery();
        using (var command = new NpgsqlCommand(Script, connection, transaction))
            command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Every uniqueness rule is a unique index per directory (R-USR-8, R-GRP-2, P-1: userName, primary
    /// email and group displayName lower-cased by the product, externalId exact), every supported
    /// filter has an index, membership edges are indexed from the group and from the user, and
    /// <c>seq</c> (an identity) orders keyset pages. The foreign keys of the edges make an edge to a
    /// user or group deleted concurrently fail rather than outlive it.
    /// </summary>
    private const string Script =
        """
        CREATE TABLE IF NOT EXISTS directory_users (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            user_name_lc text COLLATE "C" NOT NULL,
            external_id text COLLATE "C" NULL,
            email_lc text COLLATE "C" NULL,
            manager_id text COLLATE "C" NULL,
            version bigint NOT NULL,
            created_ticks bigint NOT NULL,
            modified_ticks bigint NOT NULL,
            resource bytea NOT NULL,
            search jsonb NOT NULL,
            password_reset boolean NOT NULL DEFAULT false,
            signed_in boolean NOT NULL DEFAULT false);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_id ON directory_users (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_user_name_lc ON directory_users (tenant_id, user_name_lc);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_external_id ON directory_users (tenant_id, external_id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_users_email_lc ON directory_users (tenant_id, email_lc);
        CREATE INDEX IF NOT EXISTS ix_directory_users_manager ON directory_users (tenant_id, manager_id) WHERE manager_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_directory_users_seq ON directory_users (tenant_id, seq);
        CREATE INDEX IF NOT EXISTS ix_directory_users_display_name_lc ON directory_users (tenant_id, (search ->> 'displayName'));

        CREATE TABLE IF NOT EXISTS directory_groups (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            display_name_lc text COLLATE "C" NOT NULL,
            external_id text COLLATE "C" NULL,
            version bigint NOT NULL,
            created_ticks bigint NOT NULL,
            modified_ticks bigint NOT NULL,
            resource bytea NOT NULL,
            search jsonb NOT NULL,
            member_count integer NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_id ON directory_groups (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_display_name_lc ON directory_groups (tenant_id, display_name_lc);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_groups_external_id ON directory_groups (tenant_id, external_id);
        CREATE INDEX IF NOT EXISTS ix_directory_groups_seq ON directory_groups (tenant_id, seq);

        CREATE TABLE IF NOT EXISTS directory_members (
            tenant_id text COLLATE "C" NOT NULL,
            group_id text COLLATE "C" NOT NULL,
            group_seq bigint NOT NULL,
            user_id text COLLATE "C" NOT NULL,
            user_seq bigint NOT NULL,
            CONSTRAINT pk_directory_members PRIMARY KEY (tenant_id, group_id, user_seq),
            CONSTRAINT fk_directory_members_group FOREIGN KEY (tenant_id, group_id) REFERENCES directory_groups (tenant_id, id) ON DELETE CASCADE,
            CONSTRAINT fk_directory_members_user FOREIGN KEY (tenant_id, user_id) REFERENCES directory_users (tenant_id, id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_members_user ON directory_members (tenant_id, user_id, group_seq);

        CREATE TABLE IF NOT EXISTS directory_assignments (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            principal_type text COLLATE "C" NOT NULL,
            principal_id text COLLATE "C" NOT NULL,
            target text COLLATE "C" NOT NULL,
            permission_set text COLLATE "C" NOT NULL,
            created_ticks bigint NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_assignments_id ON directory_assignments (tenant_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_assignments_grant ON directory_assignments (tenant_id, principal_id, target, permission_set);
        CREATE INDEX IF NOT EXISTS ix_directory_assignments_target ON directory_assignments (tenant_id, target);
        CREATE INDEX IF NOT EXISTS ix_directory_assignments_seq ON directory_assignments (tenant_id, seq);

        CREATE TABLE IF NOT EXISTS directory_portals (
            identity_store_id text COLLATE "C" PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_directory_portals_tenant ON directory_portals (tenant_id);

        CREATE TABLE IF NOT EXISTS directory_tenants (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL UNIQUE,
            created_ticks bigint NOT NULL);

        CREATE TABLE IF NOT EXISTS directory_events (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text COLLATE "C" NOT NULL,
            type text COLLATE "C" NOT NULL,
            subject text COLLATE "C" NOT NULL,
            at_ticks bigint NOT NULL,
            detail text COLLATE "C" NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_directory_events_key ON directory_events (tenant_id, type, subject, at_ticks);
        CREATE INDEX IF NOT EXISTS ix_directory_events_seq ON directory_events (tenant_id, seq);

        CREATE TABLE IF NOT EXISTS directory_audit_log (
            tenant_id text COLLATE "C" NOT NULL,
            seq bigint NOT NULL,
            at_ticks bigint NOT NULL,
            actor text COLLATE "C" NOT NULL,
            action text COLLATE "C" NOT NULL,
            target text COLLATE "C" NOT NULL,
            request_id text COLLATE "C" NULL,
            PRIMARY KEY (tenant_id, seq));

        CREATE TABLE IF NOT EXISTS directory_deleted_tenants (
            tenant_id text COLLATE "C" PRIMARY KEY);

        CREATE TABLE IF NOT EXISTS directory_heartbeat (
            id integer PRIMARY KEY CHECK (id = 1),
            beats bigint NOT NULL);

        CREATE TABLE IF NOT EXISTS directory_usage (
            tenant_id text COLLATE "C" PRIMARY KEY,
            users integer NOT NULL,
            groups integer NOT NULL,
            user_quota integer NULL,
            group_quota integer NULL);
        """;
}
