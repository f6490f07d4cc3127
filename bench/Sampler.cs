using System.Collections.Concurrent;
using System.Diagnostics;

namespace IdentityDirectory.Bench;

/// <summary>
/// Runs a fixed number of operations from <c>concurrency</c> workers and summarises their latencies.
/// An operation returns null when its answer was right, else what was wrong; a wrong answer is an
/// error, never a latency sample. Long phases print progress so a log can be followed.
/// </summary>
public static class Sampler
{
    public static readonly ConcurrentQueue<string> ErrorSamples = new();

    public static async Task<PhaseResult> RunAsync(string name, int concurrency, int count, Func<int, Task<string?>> operation)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(15), stop.Token);
                    var finished = Volatile.Read(ref done);
                    Console.Error.WriteLine($"  … {name}: {finished}/{count} in {clock.Elapsed.TotalSeconds:F0} s ({finished / clock.Elapsed.TotalSeconds:F0}/s), {Volatile.Read(ref errors)} errors");
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                    return;
                var started = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await operation(i);
                }
                catch (Exception e)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (error is null)
                    mine.Add(elapsed);
                else
                    Error(name, i, error, ref errors);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        await progress;
        return PhaseResult.From(name, concurrency, latencies.SelectMany(l => l).ToList(), errors, seconds);
    }

    /// <summary>Counts an error and keeps the first few of each phase for the report.</summary>
    public static void Error(string phase, int index, string error, ref int errors)
    {
        if (Interlocked.Increment(ref errors) <= 3)
        {
            var sample = $"{phase} #{index}: {error}";
            ErrorSamples.Enqueue(sample);
            Console.Error.WriteLine($"  ! {sample}");
        }
    }
}
