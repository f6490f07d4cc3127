using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The Orleans ADO.NET grain-storage and reminder contracts on SQLite, written for this product: the
/// OrleansQuery table the providers read their statements from, our tables, and the statements.
/// A write succeeds only on the version it read (a NULL version only when no row exists); anything
/// else yields no NewGrainStateVersion, which Orleans reports as InconsistentStateException.
/// </summary>
public static class SqliteOrleansSchema
{
    /// <summary>The ADO.NET invariant under which Orleans loads the Microsoft.Data.Sqlite driver.</summary>
    public const string Invariant = "System.Data.SQLite";

    private const string GrainKey =
        "service_id = @ServiceId AND grain_type = @GrainTypeString AND grain_n0 = @GrainIdN0 AND grain_n1 = @GrainIdN1 " +
        "AND grain_key = COALESCE(@GrainIdExtensionString, '')";

    private const string Tables =
        """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey TEXT NOT NULL PRIMARY KEY,
            QueryText TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS orleans_grain_state (
            service_id TEXT NOT NULL,
            grain_type TEXT NOT NULL,
            grain_n0 INTEGER NOT NULL,
            grain_n1 INTEGER NOT NULL,
            grain_key TEXT NOT NULL,
            payload BLOB NULL,
            version INTEGER NOT NULL,
            modified_on TEXT NOT NULL,
            PRIMARY KEY (service_id, grain_type, grain_n0, grain_n1, grain_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS orleans_reminders (
            service_id TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            reminder_name TEXT NOT NULL,
            start_time TEXT NOT NULL,
            period_ms INTEGER NOT NULL,
            grain_hash INTEGER NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);
        """;

    private const string ReminderColumns =
        "grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version";

    private static readonly (string Key, string Text)[] Queries =
    [
        ("ReadFromStorageKey",
            $"SELECT payload AS PayloadBinary, version AS Version FROM orleans_grain_state WHERE {GrainKey};"),
        ("WriteToStorageKey",
            $"""
            INSERT INTO orleans_grain_state (service_id, grain_type, grain_n0, grain_n1, grain_key, payload, version, modified_on)
            SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1, datetime('now')
            WHERE @GrainStateVersion IS NULL OR EXISTS (SELECT 1 FROM orleans_grain_state WHERE {GrainKey})
            ON CONFLICT (service_id, grain_type, grain_n0, grain_n1, grain_key) DO UPDATE
                SET payload = excluded.payload, version = orleans_grain_state.version + 1, modified_on = excluded.modified_on
                WHERE orleans_grain_state.version = @GrainStateVersion;
            SELECT CASE WHEN changes() > 0 THEN (SELECT version FROM orleans_grain_state WHERE {GrainKey}) END AS NewGrainStateVersion;
            """),
        ("ClearStorageKey",
            $"""
            UPDATE orleans_grain_state SET payload = NULL, version = version + 1, modified_on = datetime('now')
            WHERE {GrainKey} AND version = @GrainStateVersion;
            SELECT CASE WHEN changes() > 0 THEN (SELECT version FROM orleans_grain_state WHERE {GrainKey}) END AS NewGrainStateVersion;
            """),

        // Reminders: the ring is split by signed grain hash; range 1 is (begin, end], range 2 wraps around.
        ("ReadReminderRowsKey",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId;"),
        ("ReadReminderRowKey",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;"),
        ("ReadRangeRows1Key",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;"),
        ("ReadRangeRows2Key",
            $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);"),
        ("UpsertReminderRowKey",
            """
            INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
                    version = orleans_reminders.version + 1;
            SELECT version AS Version FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
            """),
        ("DeleteReminderRowKey",
            """
            DELETE FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version;
            SELECT changes();
            """),
        ("DeleteReminderRowsKey",
            "DELETE FROM orleans_reminders WHERE service_id = @ServiceId;"),
    ];

    public static void Apply(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Tables;
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;";
        var key = command.Parameters.Add("@key", SqliteType.Text);
        var text = command.Parameters.Add("@text", SqliteType.Text);
        foreach (var (queryKey, queryText) in Queries)
        {
            key.Value = queryKey;
            text.Value = queryText;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
