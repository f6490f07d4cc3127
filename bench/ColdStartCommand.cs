using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>first201 --endpoint URL --token T --since-ms UNIX_MS [--json FILE] [--timeout 120]</c>: polls POST /Users
/// until the first 201 (with the userName it sent) and reports the time since <c>--since-ms</c>, the
/// moment the script started the product. Refused connections are the product not listening yet;
/// any other answer before the 201 is counted and reported. Adds <c>coldStart</c> to the JSON report.
/// </summary>
public static class ColdStartCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var endpoint = Value("--endpoint");
        var token = Value("--token");
        var since = Value("--since-ms");
        if (endpoint is null || token is null || since is null)
        {
            Console.Error.WriteLine("usage: first201 --endpoint <scim base url> --token <bearer> --since-ms <unix ms of the product start> [--json FILE] [--timeout 120]");
            return 2;
        }
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(since, CultureInfo.InvariantCulture));
        var timeout = TimeSpan.FromSeconds(double.Parse(Value("--timeout") ?? "120", CultureInfo.InvariantCulture));
        using var scim = new ScimClient(new Uri(endpoint.TrimEnd('/') + "/"), token, 1);

        var refused = 0;
        var answers = new SortedDictionary<int, int>();
        var userName = $"cold-{Guid.NewGuid():N}@x.com";
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["displayName"] = "Cold Start",
            ["name"] = new JsonObject { ["givenName"] = "Cold", ["familyName"] = "Start" },
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
        }.ToJsonString();
        double? milliseconds = null;
        while (DateTimeOffset.UtcNow - startedAt < timeout)
        {
            try
            {
                var (status, answer) = await scim.SendAsync(HttpMethod.Post, "Users", body);
                if (status == HttpStatusCode.Created && answer?["userName"]?.GetValue<string>() == userName)
                {
                    milliseconds = (DateTimeOffset.UtcNow - startedAt).TotalMilliseconds;
                    break;
                }
                answers[(int)status] = answers.GetValueOrDefault((int)status) + 1;
                await Task.Delay(20);
            }
            catch (HttpRequestException)
            {
                refused++;
                await Task.Delay(20);
            }
        }

        var other = string.Join(", ", answers.Select(a => $"HTTP {a.Key} x{a.Value}"));
        Console.WriteLine(milliseconds is { } ms
            ? $"cold start to first 201: {ms:F0} ms ({refused} refused connections before; other answers before: {(other.Length == 0 ? "none" : other)})"
            : $"cold start: no 201 within {timeout.TotalSeconds:F0} s ({refused} refused; other answers: {other})");

        if (Value("--json") is { } path && File.Exists(path))
        {
            var report = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
            report["ColdStart"] = new JsonObject
            {
                ["MillisecondsToFirst201"] = milliseconds,
                ["RefusedConnections"] = refused,
                ["OtherAnswersBefore"] = JsonSerializer.SerializeToNode(answers.ToDictionary(a => a.Key.ToString(CultureInfo.InvariantCulture), a => a.Value)),
            };
            if (milliseconds is null || answers.Count > 0)
                report["Errors"] = (report["Errors"]?.GetValue<int>() ?? 0) + 1;
            await File.WriteAllTextAsync(path, report.ToJsonString(ScaleCommand.Json));
        }
        return milliseconds is not null && answers.Count == 0 ? 0 : 1;
    }
}
