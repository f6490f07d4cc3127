using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The Orleans ADO.NET grain-storage contract on SQLite, written for this product: the OrleansQuery
/// table the provider reads its statements from, our grain-state table, and the three statements.
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
        """;

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
