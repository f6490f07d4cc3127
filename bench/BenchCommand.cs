using System.Text.Json;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>load --endpoint URL[,URL…] --token T [--concurrency 1,16,64] [--seconds 5] [--warmup-seconds 3] [--pid P] [--cpu name=pid,pid …] [--json FILE]</c>:
/// the SCIM phases at each concurrency, with the cheapest authenticated request as the baseline. An
/// untimed round of every phase comes first, so the first measured phase does not pay for the JIT
/// compiling the product's request paths and for opening connections. With the product's process id,
/// each phase also reports the product's CPU per request, which other work on the machine moves far
/// less than it moves the rates. Several endpoints (one tenant's base on each gateway of a cluster) take the requests
/// in turn; each <c>--cpu</c> group (a cluster's silos, gateways, PostgreSQL) gets its CPU per request too.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: load --endpoint <scim base url>[,<url on another gateway>…] --token <bearer> [--concurrency 1,16,64] [--seconds 5] [--warmup-seconds 3] [--pid <product pid>] [--cpu name=pid,pid …] [--json results.json]");
            return 2;
        }

        if (options.WarmupSeconds > 0)
        {
            using var scim = new ScimClient(options.Endpoints, options.Token, 4);
            var warmupErrors = 0;
            await foreach (var result in new LoadPhases(scim, 4, TimeSpan.FromSeconds(options.WarmupSeconds)).RunAsync())
                warmupErrors += result.Errors;
            Console.WriteLine($"warm-up: every phase for {options.WarmupSeconds} s at concurrency 4, untimed; {warmupErrors} errors");
            if (warmupErrors > 0)
                return 1;
        }

        var groups = ProcessCpu.Parse(args);
        var results = new List<PhaseResult>();
        foreach (var concurrency in options.Concurrency)
        {
            using var scim = new ScimClient(options.Endpoints, options.Token, concurrency);
            var phases = new LoadPhases(scim, concurrency, TimeSpan.FromSeconds(options.Seconds));
            var cpuBefore = ProductCpu.Milliseconds(options.Pid);
            var groupsBefore = groups?.Now();
            await foreach (var phase in phases.RunAsync())
            {
                var cpuAfter = ProductCpu.Milliseconds(options.Pid);
                var groupsAfter = groups?.Now();
                var requests = phase.Operations + phase.Errors;
                var result = options.Pid is null || requests == 0 ? phase : phase with { CpuMicrosecondsPerRequest = (cpuAfter - cpuBefore) * 1000 / requests };
                if (groupsAfter is not null && requests > 0)
                    result = result with { CpuMsPerRequestOf = groupsAfter.ToDictionary(group => group.Key, group => (group.Value - groupsBefore![group.Key]) / requests) };
                results.Add(result);
                Console.WriteLine(result.ToRow());
                cpuBefore = cpuAfter;
                groupsBefore = groupsAfter;
            }
        }

        Console.WriteLine();
        Console.WriteLine(PhaseResult.Header + (options.Pid is null ? "" : PhaseResult.CpuHeader) + (groups is null ? "" : "  CPU ms/request"));
        foreach (var result in results)
            Console.WriteLine(result.ToRow());
        if (options.JsonPath is not null)
            await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private sealed record Options(Uri[] Endpoints, string Token, int[] Concurrency, double Seconds, double WarmupSeconds, int? Pid, string? JsonPath)
    {
        public static Options? Parse(string[] args)
        {
            if (args.Length == 0 || args[0] != "load")
                return null;
            string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            var endpoint = Value("--endpoint");
            var token = Value("--token");
            if (endpoint is null || token is null)
                return null;
            var concurrency = (Value("--concurrency") ?? "1,16,64").Split(',').Select(int.Parse).ToArray();
            return new Options(endpoint.Split(',').Select(url => new Uri(url.TrimEnd('/') + "/")).ToArray(), token, concurrency,
                double.Parse(Value("--seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Value("--warmup-seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture),
                Value("--pid") is { } pid ? int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) : null, Value("--json"));
        }
    }
}
