using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>
/// SQLite's one writer: writes are queued to one connection, on a thread of its own, and committed in
/// groups (one fsync for many writes) rather than spinning on SQLITE_BUSY. A write is a synchronous
/// piece of work on the writer's connection and transaction; its task completes only after the commit,
/// so an acknowledged write is durable. Knows nothing of the directory: the store gives it the work.
/// </summary>
internal sealed class SqliteGroupCommitWriter
{
    private delegate object? Work(SqliteConnection connection, SqliteTransaction transaction);

    private const int MaxGroup = 256;
    // Only the writer thread waits on the channel, so a write may wake it directly rather than through a thread-pool work item.
    private readonly Channel<PendingWrite<Work>> _writes = Channel.CreateUnbounded<PendingWrite<Work>>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Func<SqliteConnection> _open;
    private readonly Action<SqliteConnection> _close;
    private readonly Action<int> _committed;
    private readonly Task _stopped;

    /// <param name="open">Opens the writer's connection, once, on the writer's thread.</param>
    /// <param name="close">Closes it when the writer stops.</param>
    /// <param name="committed">Told the size of every group committed (the failed writes of a group included).</param>
    public SqliteGroupCommitWriter(Func<SqliteConnection> open, Action<SqliteConnection> close, Action<int> committed)
    {
        _open = open;
        _close = close;
        _committed = committed;
        _stopped = Start();
    }

    /// <summary>
    /// Queues a write, which the writer commits with every write waiting at that moment in one
    /// transaction; should it throw, it rolls back alone (see <see cref="CommitGroup"/>).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        var pending = new PendingWrite<Work>((c, tx) => work(c, tx));
        await _writes.Writer.WriteAsync(pending);
        return (T)(await pending.Completion.Task)!;
    }

    /// <summary>Lets the writer commit what is queued and stop; later writes fail.</summary>
    public Task StopAsync()
    {
        _writes.Writer.TryComplete();
        return _stopped;
    }

    /// <summary>
    /// The writer spends its life blocked in SQLite (statements, then the commit's fsync). On a
    /// thread-pool worker it took one of the workers the pool sizes to the cores away from the
    /// requests; on a thread of its own, writes ran 6 – 10% faster (bench/PROFILE.md, "Sixth look").
    /// </summary>
    private Task Start()
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
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

    private void Run()
    {
        var connection = _open();
        try
        {
            var group = new List<PendingWrite<Work>>(MaxGroup);
            var isolateNext = false;
            while (_writes.Reader.TryPeek(out _) || _writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (group.Count < MaxGroup && _writes.Reader.TryRead(out var next))
                    group.Add(next);
                isolateNext = CommitGroup(connection, group, isolateNext);
                group.Clear();
            }
        }
        finally
        {
            _close(connection);
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
    private bool CommitGroup(SqliteConnection connection, List<PendingWrite<Work>> group, bool isolate)
    {
        (object? Result, Exception? Error)[] outcomes;
        try
        {
            outcomes = (isolate ? null : RunGroup(connection, group, isolated: false)) ?? RunGroup(connection, group, isolated: true)!;
        }
        catch (Exception e)
        {
            return GroupAnswers.Fail(group, e, _committed);
        }
        return GroupAnswers.Answer(group, outcomes, _committed);
    }

    /// <returns>Each write's outcome, or null when a write failed in a group run without savepoints (nothing was committed).</returns>
    private static (object? Result, Exception? Error)[]? RunGroup(SqliteConnection connection, List<PendingWrite<Work>> group, bool isolated)
    {
        var outcomes = new (object? Result, Exception? Error)[group.Count];
        using var transaction = connection.BeginTransaction();
        for (var i = 0; i < group.Count; i++)
        {
            if (isolated)
                transaction.Save("w");
            try
            {
                outcomes[i] = (group[i].Work(connection, transaction), null);
            }
            catch (Exception e) when (!isolated)
            {
                transaction.Rollback();
                return group.Count == 1 ? [(null, e)] : null;
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

}
