using System.Diagnostics;

namespace IdentityDirectory.Bench;

/// <summary>Runs one timed phase from <c>concurrency</c> workers: each answer checked, a wrong or failed one counted as an error, never as a latency sample.</summary>
public static class PhaseRunner
{
    /// <param name="limit">How many operations there are to run at most (null: as many as fit in the phase).</param>
    /// <param name="untilDone">Run every operation up to <paramref name="limit"/>, whatever the phase time.</param>
    public static async Task<PhaseResult> RunAsync(string name, int concurrency, TimeSpan phaseDuration, int? limit, Func<int, Task<bool>> operation,
        bool untilDone = false)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            while (untilDone || clock.Elapsed < phaseDuration)
            {
                var i = Interlocked.Increment(ref next);
                if (limit is { } max && i >= max)
                    return;
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await operation(i);
                }
                catch (Exception)
                {
                    ok = false;
                }
                if (ok)
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                else
                    Interlocked.Increment(ref errors);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return PhaseResult.From(name, concurrency, latencies.SelectMany(l => l).ToList(), errors, clock.Elapsed.TotalSeconds);
    }
}
