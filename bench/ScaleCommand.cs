using System.Text.Json;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>scale --endpoint URL --token T [--users 200000] [--groups 100000] [--big-group 100000] [--pid P] [--json FILE]</c>:
/// loads the directory to size and measures it there (see <see cref="ScaleScenario"/>). Prints a table,
/// writes the JSON report; exit code 1 when any answer was wrong.
/// </summary>
public static class ScaleCommand
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ScaleOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(ScaleOptions.Usage);
            return 2;
        }

        var report = new ScaleReport
        {
            Parameters = new ScaleParameters(options.Users, options.Groups, options.BigGroup, options.Samples, options.Concurrency,
                options.LoadConcurrency, options.PatchRepeats, options.WalkCreatesPerSecond, options.Seed),
            Machine = new MachineInfo(Environment.ProcessorCount, MemoryMiB(), LoadAverage(), null),
        };
        using var scim = new ScimClient(options.Endpoints, options.Token, Math.Max(options.LoadConcurrency, options.Concurrency.Max()) + 2);
        var scenario = new ScaleScenario(scim, options, report);
        var failed = false;
        try
        {
            await scenario.RunAsync();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"scale stopped: {e}");
            report.ErrorSamples.Add($"scale stopped: {e.Message}");
            failed = true;
        }
        report.Machine = report.Machine with { LoadAverageAfter = LoadAverage() };
        report.Errors = scenario.Errors + (failed ? 1 : 0);
        report.ErrorSamples.InsertRange(0, Sampler.ErrorSamples);

        Console.WriteLine();
        Console.Write(report.ToTable());
        if (options.JsonPath is not null)
            await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(report, Json));
        return report.Errors > 0 ? 1 : 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static long MemoryMiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
}
