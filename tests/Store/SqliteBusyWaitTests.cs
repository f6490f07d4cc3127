using IdentityDirectory.Store;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Tests.Store;

/// <summary>Connections the store did not open itself (Orleans grain storage and reminders, opened after the store started) wait for the write lock inside SQLite too.</summary>
public sealed class SqliteBusyWaitTests() : SqliteStoreTests("busy-wait")
{
    // DESIGN §2: the store and the Orleans providers share one file; a connection that meets the
    // write lock waits in SQLite's short steps rather than in the driver's 150 ms sleeps.
    [Fact]
    public void EveryConnectionOpenedAfterTheStoreStartedWaitsForTheWriteLockInsideSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"busy-wait-{Guid.NewGuid():N}.db");
        try
        {
            using var other = new SqliteConnection($"Data Source={path};Pooling=False");
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal((long)SqliteBusyWait.Milliseconds, command.ExecuteScalar());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
