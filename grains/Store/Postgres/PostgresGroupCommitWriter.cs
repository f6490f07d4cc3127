using System.Threading.Channels;
using Npgsql;

namespace IdentityDirectory.Store;

/// <summary>
/// PostgreSQL's writers: group commit, as SQLite's one writer does, in a few lanes. A tenant's writes
/// queue in one lane; a lane commits the writes waiting in it in one transaction (one WAL flush for
/// many writes), which first takes the write lock of each of its tenants, in one order. So a tenant's
/// writes run one group at a time across every process, and groups of different tenants never wait
/// for each other in a cycle. A write's task completes only after the commit.
/// </summary>
/// <remarks>
/// A tenant's rules that count (quota, audit numbering) serialise its writes through their commit
/// whatever is done; one write per transaction made that one write per WAL flush (bench/README.md).
/// </remarks>
internal sealed class PostgresGroupCommitWriter
{
    private delegate Task<object?> Work(NpgsqlConnection connection, NpgsqlTransaction transaction);

    private const int MaxGroup = 64;
    private const int Attempts = 3;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _tenantLock;
    private readonly Action<int> _committed;
    private readonly Channel<PendingWrite<Work>>[] _lanes;
    private readonly Task _stopped;

    /// <param name="tenantLock">The statement that takes the write lock of tenant <c>@tenant</c> until the commit.</param>
    /// <param name="committed">Told the size of every group committed (the failed writes of a group included).</param>
    public PostgresGroupCommitWriter(NpgsqlDataSource dataSource, int lanes, string tenantLock, Action<int> committed)
    {
        _dataSource = dataSource;
        _tenantLock = tenantLock;
        _committed = committed;
        _lanes = [.. Enumerable.Range(0, lanes).Select(_ => Channel.CreateUnbounded<PendingWrite<Work>>(new UnboundedChannelOptions { SingleReader = true }))];
        _stopped = Task.WhenAll(_lanes.Select(lane => Task.Run(() => RunLaneAsync(lane.Reader))));
    }

    /// <summary>Queues a write of <paramref name="tenantId"/> (empty for none); should it throw, it rolls back alone.</summary>
    public async Task<T> WriteAsync<T>(string tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        var pending = new PendingWrite<Work>(async (c, tx) => await work(c, tx), tenantId);
        await _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(tenantId) % (uint)_lanes.Length)].Writer.WriteAsync(pending);
        return (T)(await pending.Completion.Task)!;
    }

    /// <summary>Lets the lanes commit what is queued and stop; later writes fail.</summary>
    public Task StopAsync()
    {
        foreach (var lane in _lanes)
            lane.Writer.TryComplete();
        return _stopped;
    }

    private async Task RunLaneAsync(ChannelReader<PendingWrite<Work>> queue)
    {
        var group = new List<PendingWrite<Work>>(MaxGroup);
        var isolateNext = false;
        while (await queue.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && queue.TryRead(out var next))
                group.Add(next);
            isolateNext = await CommitGroupAsync(group, isolateNext);
            group.Clear();
        }
    }

    /// <summary>
    /// Runs a group in one transaction, first without a savepoint per write (each costs two round
    /// trips); when a write fails, again with them, so that it rolls back alone, and so the next groups
    /// while writes keep failing. A group that loses a deadlock runs again from the start.
    /// </summary>
    /// <returns>Whether a write of the group failed.</returns>
    private async Task<bool> CommitGroupAsync(List<PendingWrite<Work>> group, bool isolate)
    {
        (object? Result, Exception? Error)[] outcomes;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                outcomes = (isolate ? null : await RunGroupAsync(group, isolated: false)) ?? (await RunGroupAsync(group, isolated: true))!;
                break;
            }
            catch (PostgresException e) when (IsConflict(e) && attempt < Attempts)
            {
            }
            catch (Exception e)
            {
                return GroupAnswers.Fail(group, e, _committed);
            }
        }
        return GroupAnswers.Answer(group, outcomes, _committed);
    }

    /// <returns>Each write's outcome, or null when a write failed in a group run without savepoints (nothing was committed).</returns>
    private async Task<(object? Result, Exception? Error)[]?> RunGroupAsync(List<PendingWrite<Work>> group, bool isolated)
    {
        var outcomes = new (object? Result, Exception? Error)[group.Count];
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var locks = new NpgsqlBatch(connection, transaction))
        {
            foreach (var tenant in group.Select(write => write.TenantId).Where(tenant => tenant.Length > 0).Distinct().Order(StringComparer.Ordinal))
                locks.BatchCommands.Add(new NpgsqlBatchCommand(_tenantLock) { Parameters = { new("tenant", tenant) } });
            if (locks.BatchCommands.Count > 0)
                await locks.ExecuteNonQueryAsync();
        }
        for (var i = 0; i < group.Count; i++)
        {
            if (isolated)
                await transaction.SaveAsync("w");
            try
            {
                outcomes[i] = (await group[i].Work(connection, transaction), null);
            }
            catch (Exception e) when (!isolated && !IsConflict(e))
            {
                await transaction.RollbackAsync();
                return group.Count == 1 ? [(null, e)] : null;
            }
            catch (Exception e) when (!IsConflict(e))
            {
                await transaction.RollbackAsync("w");
                outcomes[i] = (null, e);
            }
            if (isolated)
                await transaction.ReleaseAsync("w");
        }
        await transaction.CommitAsync();
        return outcomes;
    }

    private static bool IsConflict(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}
