using Npgsql;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The Orleans ADO.NET clustering, grain-storage and reminder contracts on PostgreSQL, written for this product: the
/// OrleansQuery table the providers read their statements from, our tables, and the statements. Applied at every
/// start; several silos starting at once take turns on an advisory lock. Every time is <c>timestamptz</c>: Npgsql
/// sends the providers' UTC times as such, and a column without a time zone breaks membership and reminders.
/// </summary>
public static class PostgresOrleansSchema
{
    /// <summary>The ADO.NET invariant under which Orleans loads Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Orleans writes this status for a silo it has declared dead (SiloStatus.Dead).</summary>
    private const int DeadStatus = 6;

    private const string Tables =
        """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey text NOT NULL PRIMARY KEY,
            QueryText text NOT NULL);
        CREATE TABLE IF NOT EXISTS orleans_membership_version (
            deployment_id text NOT NULL PRIMARY KEY,
            version integer NOT NULL,
            changed_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS orleans_membership (
            deployment_id text NOT NULL REFERENCES orleans_membership_version ON DELETE CASCADE,
            address text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name text NOT NULL,
            host_name text NOT NULL,
            status integer NOT NULL,
            proxy_port integer NOT NULL,
            suspect_times text NULL,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            PRIMARY KEY (deployment_id, address, port, generation));
        CREATE TABLE IF NOT EXISTS orleans_grain_state (
            service_id text NOT NULL,
            grain_type text NOT NULL,
            grain_n0 bigint NOT NULL,
            grain_n1 bigint NOT NULL,
            grain_key text NOT NULL,
            payload bytea NULL,
            version integer NOT NULL,
            modified_at timestamptz NOT NULL,
            PRIMARY KEY (service_id, grain_type, grain_n0, grain_n1, grain_key));
        CREATE TABLE IF NOT EXISTS orleans_reminders (
            service_id text NOT NULL,
            grain_id text NOT NULL,
            reminder_name text NOT NULL,
            start_time timestamptz NOT NULL,
            period_ms bigint NOT NULL,
            grain_hash integer NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name));
        CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);
        """;

    // Membership: a silo's row is named by its address, port and generation within the cluster (DeploymentId).
    private const string SiloRow =
        "deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation";

    private const string MemberColumns =
        "m.address AS Address, m.port AS Port, m.generation AS Generation, m.silo_name AS SiloName, m.host_name AS HostName, " +
        "m.status AS Status, m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes, m.start_time AS StartTime, " +
        "m.i_am_alive_time AS IAmAliveTime, v.version AS Version";

    // A membership write applies only on the table version its writer read, and bumps it in the same statement:
    // the version row is locked first (a concurrent writer that got there before makes the version check fail),
    // the change depends on that lock, and the bump depends on the change, so both happen or neither.
    private const string LockedVersion =
        "SELECT deployment_id FROM orleans_membership_version WHERE deployment_id = @DeploymentId AND version = @Version FOR UPDATE";

    private const string BumpVersionAfter =
        """
        bumped AS (
            UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
            FROM changed WHERE v.deployment_id = changed.deployment_id
            RETURNING 1)
        SELECT count(*) > 0 FROM bumped;
        """;

    // Grain state: the full grain identity names a row; hashes collide, so no statement looks at them.
    private const string GrainRow =
        "service_id = @ServiceId AND grain_type = @GrainTypeString AND grain_n0 = @GrainIdN0 AND grain_n1 = @GrainIdN1 " +
        "AND grain_key = COALESCE(@GrainIdExtensionString::text, '')";

    private const string ReminderColumns =
        "grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version";

    private const string ReminderRow =
        "service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName";

    private static readonly (string Key, string Text)[] Queries =
    [
        ("InsertMembershipVersionKey",
            """
            WITH inserted AS (
                INSERT INTO orleans_membership_version (deployment_id, version, changed_at) VALUES (@DeploymentId, 0, now())
                ON CONFLICT (deployment_id) DO NOTHING
                RETURNING 1)
            SELECT count(*) > 0 FROM inserted;
            """),
        ("InsertMembershipKey",
            $"""
            WITH locked AS ({LockedVersion}),
            changed AS (
                INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
                    start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM locked
                ON CONFLICT (deployment_id, address, port, generation) DO NOTHING
                RETURNING deployment_id),
            {BumpVersionAfter}
            """),
        ("UpdateMembershipKey",
            $"""
            WITH locked AS ({LockedVersion}),
            changed AS (
                UPDATE orleans_membership m SET status = @Status, suspect_times = @SuspectTimes::text, i_am_alive_time = @IAmAliveTime
                FROM locked
                WHERE m.deployment_id = locked.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING m.deployment_id),
            {BumpVersionAfter}
            """),
        ("UpdateIAmAlivetimeKey",
            $"UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime WHERE {SiloRow};"),
        // The version row comes back even when the cluster has no silo yet (or not this one): a NULL StartTime means no entry.
        ("MembershipReadRowKey",
            $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deployment_id = @DeploymentId;
            """),
        ("MembershipReadAllKey",
            $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId;
            """),
        ("GatewaysQueryKey",
            """
            SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
            FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
            """),
        ("DeleteMembershipTableEntriesKey",
            "DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;"),
        // Only rows of silos declared dead go; a silo still joining or shutting down keeps its row however old its heartbeat.
        ("CleanupDefunctSiloEntriesKey",
            $"DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId AND status = {DeadStatus} AND i_am_alive_time < @IAmAliveTime;"),

        ("ReadFromStorageKey",
            $"SELECT payload AS PayloadBinary, version AS Version FROM orleans_grain_state WHERE {GrainRow};"),
        // A write applies only on the version its writer read. A NULL version creates the row and never overwrites one:
        // the row is inserted only when no version was read or a row exists to be updated, and the update checks the version.
        // The statement always answers one row; NewGrainStateVersion is NULL when the write did not apply.
        ("WriteToStorageKey",
            $"""
            WITH written AS (
                INSERT INTO orleans_grain_state AS s (service_id, grain_type, grain_n0, grain_n1, grain_key, payload, version, modified_at)
                SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString::text, ''), @PayloadBinary, 1, now()
                WHERE @GrainStateVersion::integer IS NULL OR EXISTS (SELECT 1 FROM orleans_grain_state WHERE {GrainRow})
                ON CONFLICT (service_id, grain_type, grain_n0, grain_n1, grain_key) DO UPDATE
                    SET payload = excluded.payload, version = s.version + 1, modified_at = excluded.modified_at
                    WHERE s.version = @GrainStateVersion::integer
                RETURNING s.version)
            SELECT (SELECT version FROM written) AS NewGrainStateVersion;
            """),
        ("ClearStorageKey",
            $"""
            WITH cleared AS (
                UPDATE orleans_grain_state SET payload = NULL, version = version + 1, modified_at = now()
                WHERE {GrainRow} AND version = @GrainStateVersion::integer
                RETURNING version)
            SELECT (SELECT version FROM cleared) AS NewGrainStateVersion;
            """),

        // Reminders: hashes arrive as signed integers; range 1 is (begin, end], range 2 wraps around the ring.
        ("ReadReminderRowsKey",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId;"),
        ("ReadReminderRowKey",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE {ReminderRow};"),
        ("ReadRangeRows1Key",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;"),
        ("ReadRangeRows2Key",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);"),
        ("UpsertReminderRowKey",
            """
            INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash, version = r.version + 1
            RETURNING version AS Version;
            """),
        ("DeleteReminderRowKey",
            $"""
            WITH deleted AS (DELETE FROM orleans_reminders WHERE {ReminderRow} AND version = @Version RETURNING 1)
            SELECT count(*) > 0 FROM deleted;
            """),
        ("DeleteReminderRowsKey",
            "DELETE FROM orleans_reminders WHERE service_id = @ServiceId;"),
    ];

    /// <summary>Creates what is missing and brings every statement up to date; safe to run from several silos at once.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('identity-directory orleans schema'));" + Tables, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (key, text) in Queries)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($1, $2) " +
                "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText WHERE OrleansQuery.QueryText <> excluded.QueryText")
            {
                Parameters = { new() { Value = key }, new() { Value = text } },
            });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
