using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>
/// Makes every SQLite connection of the process wait for the write lock inside SQLite, which retries
/// after 1, 2, 5, 10 … ms, instead of in Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms a
/// try. The directory store's writer and the Orleans grain storage and reminders share one file:
/// without this, the writer stalled 150 ms (every tenant's writes with it) whenever a grain-state
/// write held the lock, and a grain-state write under load lost 150 ms per try (bench/PROFILE.md).
/// Orleans opens its own connections, so the setting goes in through SQLite's auto-extension hook,
/// which runs for every connection opened after it is installed.
/// </summary>
public static class SqliteBusyWait
{
    public const int Milliseconds = 5_000;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ExtensionEntryPoint(IntPtr database, IntPtr errorMessage, IntPtr api);

    // Kept in a static field: SQLite holds the pointer for the life of the process.
    private static readonly ExtensionEntryPoint OnOpen = (database, _, _) => sqlite3_busy_timeout(database, Milliseconds);

    private static readonly Lazy<int> Installed = new(() => sqlite3_auto_extension(Marshal.GetFunctionPointerForDelegate(OnOpen)));

    /// <summary>Installs the hook once; connections opened before it keep SQLite's default (no wait).</summary>
    public static void Install()
    {
        if (Installed.Value != 0)
            throw new InvalidOperationException($"SQLite refused the busy-wait hook (result code {Installed.Value}).");
    }

    /// <summary>
    /// Throws unless the connection got the timeout: with another SQLite than the bundled e_sqlite3
    /// (a different SQLitePCLRaw provider), the hook would sit in a library nobody opens connections with.
    /// </summary>
    public static void Verify(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        if (command.ExecuteScalar() is not long milliseconds || milliseconds != Milliseconds)
            throw new InvalidOperationException("SQLite connections do not wait for the write lock: the product expects the bundled e_sqlite3 library.");
    }

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_auto_extension(IntPtr entryPoint);

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_timeout(IntPtr database, int milliseconds);
}
