using System.Collections.Concurrent;
using System.Diagnostics;
using IdentityDirectory.Tests.Infrastructure;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>
/// DESIGN §2 (cluster mode): any silo can die and nothing acknowledged is lost. A silo is killed (no goodbye, as a
/// crashed process) in a cluster of three on PostgreSQL with the product's failover tuning. Calls go through a silo
/// that survives, as a co-hosted gateway's do: a silo fails the calls it had in flight to the dead one as soon as the
/// cluster declares it dead, where an external client waits out its response timeout (docs/operations.md).
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresFailoverTests(PostgresClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryAcknowledgedWriteSurvivesTheDeathOfASilo()
    {
        var run = Guid.NewGuid().ToString("N");
        var ledgers = Enumerable.Range(0, 30).Select(i => fixture.Grains.GetGrain<ILedgerGrain>($"failover/{run}/{i}")).ToArray();
        await Task.WhenAll(ledgers.Select(ledger => ledger.AppendAsync(0)));
        var victim = fixture.HostOf(ledgers[0]);
        var gateway = fixture.GrainsOfASiloOtherThan(victim);
        ledgers = [.. ledgers.Select(ledger => gateway.GetGrain<ILedgerGrain>(ledger.GetPrimaryKeyString()))];
        var writers = ledgers.Select(ledger => new LedgerWriter(ledger)).ToArray();
        using var stop = new CancellationTokenSource();
        var writing = writers.Select(writer => writer.RunAsync(stop.Token)).ToArray();
        var clock = Stopwatch.StartNew();
        Task<TimeSpan> declaredDead;
        var killed = false;
        try
        {
            await Task.WhenAll(writers.Select(writer => writer.Warm)).WaitAsync(Patience);
            clock.Restart();
            foreach (var writer in writers)
                writer.KillHappened(clock);
            declaredDead = fixture.DeclaredDeadAsync(victim, clock);
            await fixture.Cluster.KillSiloAsync(victim);
            killed = true;
            // Writes continue: every ledger takes a few in a row again, whatever silo it lived on.
            await Task.WhenAll(writers.Select(writer => writer.Recovered)).WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{writers.Count(writer => writer.Recovered.IsCompleted)} of {writers.Length} ledgers took writes again within " +
                $"{Patience.TotalSeconds} s (silo killed: {killed}); {writers.Sum(writer => writer.Failures)} writes failed.");
            throw;
        }
        finally
        {
            // The writers stop and the cluster gets its third silo back whatever happened, so a failure here fails this test only.
            await stop.CancelAsync();
            await Task.WhenAll(writing);
            if (killed)
                await fixture.Cluster.StartAdditionalSiloAsync();
        }

        var failed = writers.Sum(writer => writer.Failures);
        var window = writers.Max(writer => writer.LastFailureAfterKill);
        output.WriteLine($"The killed silo was declared dead after {(await declaredDead.WaitAsync(Patience)).TotalMilliseconds:F0} ms; " +
            $"{failed} of {writers.Sum(writer => writer.Attempts)} writes failed, the last {window.TotalMilliseconds:F0} ms after the kill.");
        for (var i = 0; i < ledgers.Length; i++)
        {
            var stored = await ledgers[i].EntriesAsync();
            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.Empty(writers[i].Acknowledged.Except(stored));
        }
    }

    [Fact]
    public async Task AReminderKeepsFiringAfterTheSiloThatRanItDies()
    {
        var (key, host) = await StartTickerOnTheSiloThatOwnsItsReminderAsync();
        var before = await TickLog.NextAsync(key, Patience);
        Assert.Equal(host.SiloAddress, before.Silo);

        var gateway = fixture.GrainsOfASiloOtherThan(host);
        await fixture.Cluster.KillSiloAsync(host);

        var after = new List<Tick>();
        while (after.Count < 2)
        {
            var tick = await TickLog.NextAsync(key, Patience);
            if (!tick.Silo.Equals(host.SiloAddress))
                after.Add(tick);
        }
        // The count lives in grain state: it goes on from where the dead silo left it, through the new activation.
        Assert.True(after[0].Count > before.Count);
        Assert.True(after[1].Count > after[0].Count);
        await gateway.GetGrain<ITickGrain>(key).StopAsync();
        await fixture.Cluster.StartAdditionalSiloAsync();
    }

    /// <summary>
    /// A ticking grain whose activation and reminder (the reminder service that owns the grain's place on the ring) are
    /// on one silo, so that silo's death takes both.
    /// </summary>
    private async Task<(string Key, SiloHandle Host)> StartTickerOnTheSiloThatOwnsItsReminderAsync()
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var key = "ticks/" + Guid.NewGuid();
            var ticker = fixture.Grains.GetGrain<ITickGrain>(key);
            await ticker.StartAsync(TimeSpan.FromSeconds(1));
            var host = fixture.HostOf(ticker);
            if (fixture.ReminderSiloOf(ticker) == host)
                return (key, host);
            await ticker.StopAsync();
        }
        throw new InvalidOperationException("No grain landed on the silo that owns its reminder in 30 tries.");
    }

    /// <summary>Appends 1, 2, 3, … to one ledger until stopped, and remembers which appends were acknowledged.</summary>
    private sealed class LedgerWriter(ILedgerGrain ledger)
    {
        private const int Streak = 5;
        private readonly ConcurrentQueue<int> _acknowledged = new([0]);
        private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile Stopwatch? _sinceKill;

        public IEnumerable<int> Acknowledged => _acknowledged;

        public int Attempts { get; private set; }

        public int Failures { get; private set; }

        public TimeSpan LastFailureAfterKill { get; private set; }

        /// <summary>Completes after a few acknowledged writes.</summary>
        public Task Warm => _warm.Task;

        /// <summary>Completes once a few writes begun after the kill were acknowledged in a row.</summary>
        public Task Recovered => _recovered.Task;

        public void KillHappened(Stopwatch clock) => _sinceKill = clock;

        public async Task RunAsync(CancellationToken stop)
        {
            var (streak, streakAfterKill) = (0, 0);
            for (var entry = 1; !stop.IsCancellationRequested; entry++)
            {
                var afterKill = _sinceKill;
                Attempts++;
                try
                {
                    await ledger.AppendAsync(entry);
                    _acknowledged.Enqueue(entry);
                    streak++;
                    streakAfterKill += afterKill is null ? 0 : 1;
                }
                catch (Exception)
                {
                    Failures++;
                    (streak, streakAfterKill) = (0, 0);
                    if (_sinceKill is { } clock)
                        LastFailureAfterKill = clock.Elapsed;
                }
                if (streak >= Streak)
                    _warm.TrySetResult();
                if (streakAfterKill >= Streak)
                    _recovered.TrySetResult();
            }
        }
    }
}
