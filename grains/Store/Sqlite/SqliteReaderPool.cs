using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>
/// The store's read connections, kept open from one read to the next for their compiled statements
/// and lent to one read at a time. Up to <see cref="MaxIdle"/> stay open, more than reads run at once
/// on two cores (SQLite runs a read on the calling thread). A connection beyond them is closed after
/// its read, back to the driver's pool, which prunes idle ones. So is one returned after
/// <see cref="Close"/>.
/// </summary>
internal sealed class SqliteReaderPool(Func<SqliteConnection> open, Action<SqliteConnection> close)
{
    private const int MaxIdle = 32;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private int _idleCount;
    private volatile bool _closed;

    public SqliteConnection Take()
    {
        if (!_idle.TryTake(out var connection))
            return open();
        Interlocked.Decrement(ref _idleCount);
        return connection;
    }

    public void Return(SqliteConnection connection)
    {
        if (_closed)
        {
            close(connection);
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            close(connection);
            return;
        }
        _idle.Add(connection);
        // Close may have emptied the pool between the check above and the Add.
        Interlocked.MemoryBarrier();
        if (_closed)
            CloseIdle();
    }

    public void Close()
    {
        _closed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var connection))
            close(connection);
    }
}
