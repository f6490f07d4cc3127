using System.Globalization;

namespace IdentityDirectory.Bench;

/// <summary>The options of <c>scale</c>; see <see cref="ScaleCommand"/>.</summary>
public sealed record ScaleOptions(
    Uri[] Endpoints, string Token, int Users, int Groups, int BigGroup, int Samples, int[] Concurrency,
    int LoadConcurrency, int PatchRepeats, double WalkCreatesPerSecond, int? ProductPid, string? JsonPath, int Seed, string? OperatorKey, string? SettleCommand)
{
    public const string Usage =
        "usage: scale --endpoint <scim base url>[,<url on another gateway>…] --token <bearer> [--users 200000] [--groups 100000] [--big-group 100000]\n" +
        "             [--samples 2000] [--concurrency 1,16] [--load-concurrency 32] [--patch-repeats 200]\n" +
        "             [--walk-creates-per-second 100] [--pid <product pid>] [--json results.json] [--seed 1]\n" +
        "             [--operator-key K]  (switches the tenant to the rfc profile for the rfc filter lookups, then back)\n" +
        "             [--settle \"shell command\"]  (run after the load, before the lookups, e.g. a database checkpoint; timed)\n" +
        "  --groups counts every group, the big one and the 100-member one included. Several endpoints (one tenant's base on each\n" +
        "  gateway of a cluster) take the requests in turn; the first also serves the admin calls.";

    public static ScaleOptions? Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var endpoint = Value("--endpoint");
        var token = Value("--token");
        if (endpoint is null || token is null)
            return null;
        var options = new ScaleOptions(
            endpoint.Split(',').Select(url => new Uri(url.TrimEnd('/') + "/")).ToArray(), token,
            Int("--users", 200_000), Int("--groups", 100_000), Int("--big-group", 100_000),
            Int("--samples", 2000),
            (Value("--concurrency") ?? "1,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            Int("--load-concurrency", 32), Int("--patch-repeats", 200),
            double.Parse(Value("--walk-creates-per-second") ?? "100", CultureInfo.InvariantCulture),
            Value("--pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Value("--json"), Int("--seed", 1), Value("--operator-key"), Value("--settle"));
        if (options.Users < 200 || options.Groups < 2 || options.BigGroup < 100 || options.BigGroup > options.Users)
        {
            Console.Error.WriteLine("scale needs --users >= 200, --groups >= 2 and 100 <= --big-group <= --users.");
            return null;
        }
        return options;
    }
}
