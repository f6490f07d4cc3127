using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>console --base URL --operator-key K --scim-endpoint E --scim-token T [--users 200000] [--big-group 100000]
/// [--requests 400] [--pid P] [--json FILE]</c>: loads the tenant with users and one big group through SCIM, signs
/// in to the operator console, and measures what each console page costs to render there: latency at
/// concurrency 1 and 8, and the product's CPU per page when <c>--pid</c> is given.
/// </summary>
public static partial class ConsoleCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var baseUrl = new Uri(Value("--base")?.TrimEnd('/') + "/");
        var endpoint = new Uri(Value("--scim-endpoint")!.TrimEnd('/') + "/");
        var tenantId = endpoint.Segments[1].TrimEnd('/');
        var users = int.Parse(Value("--users") ?? "200000");
        var bigGroup = Math.Min(users, int.Parse(Value("--big-group") ?? "100000"));
        var requests = int.Parse(Value("--requests") ?? "400");
        var pid = Value("--pid") is { } p ? int.Parse(p) : (int?)null;
        using var scim = new ScimClient(endpoint, Value("--scim-token")!, 32);

        var ids = new string[users];
        var load = await Sampler.RunAsync("load: POST /Users", 32, users, async i =>
        {
            var (status, body) = await scim.SendAsync(HttpMethod.Post, "Users", ScaleScenario.UserBody($"console-{i}@x.com", $"ext-console-{i}", i));
            if (status != HttpStatusCode.Created)
                return $"{(int)status} {body?.ToJsonString()}";
            ids[i] = body!["id"]!.GetValue<string>();
            return null;
        });
        var (groupStatus, group) = await scim.SendAsync(HttpMethod.Post, "Groups", ScaleScenario.GroupBody("console-big", []));
        var groupId = group?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"big group: {(int)groupStatus}");
        var fill = await Sampler.RunAsync("load: big group PATCH +100", 4, (bigGroup + 99) / 100, async k =>
        {
            var range = ids.Skip(k * 100).Take(Math.Min(100, bigGroup - k * 100));
            var (status, body) = await scim.SendAsync(HttpMethod.Patch, $"Groups/{groupId}", ScaleScenario.MembersPatch("add", range));
            return status == HttpStatusCode.NoContent ? null : $"{(int)status} {body?.ToJsonString()}";
        });
        Console.Error.WriteLine($"loaded {users} users in {load.Seconds:F0} s, a group of {bigGroup} members in {fill.Seconds:F0} s");

        using var console = await SignInAsync(baseUrl, Value("--operator-key")!);
        var tenant = $"console/tenants/{tenantId}";
        var middle = users / 2;
        (string Name, string Path, string Expect)[] pages =
        [
            ("tenant list", "console/tenants", tenantId),
            ("users, first page", $"{tenant}/users", "console-"),
            ("users by userName", $"{tenant}/users?by=userName&q=console-{middle}@x.com", $"console-{middle}@x.com"),
            ("users by display name", $"{tenant}/users?by=displayName&q=scale%20user%20{middle}", $"console-{middle}@x.com"),
            ("user", $"{tenant}/users/{ids[middle]}", $"console-{middle}@x.com"),
            ($"group of {bigGroup / 1000}k members", $"{tenant}/groups/{groupId}", "Next page"),
            ("groups", $"{tenant}/groups", "console-big"),
            ("provisioning", $"{tenant}/provisioning", "Access tokens"),
            ("activity", $"{tenant}/activity", "Audit records"),
        ];
        var rows = new List<object>();
        var errors = load.Errors + fill.Errors;
        Console.WriteLine($"{PhaseResult.Header}  CPU ms/page  KiB");
        foreach (var (name, path, expect) in pages)
        {
            var size = 0;
            foreach (var concurrency in new[] { 1, 8 })
            {
                var cpuBefore = ProductCpu.Milliseconds(pid);
                var result = await Sampler.RunAsync(name, concurrency, requests, async _ =>
                {
                    using var response = await console.GetAsync(path);
                    var html = await response.Content.ReadAsStringAsync();
                    size = html.Length;
                    return response.StatusCode == HttpStatusCode.OK && html.Contains(expect, StringComparison.Ordinal) ? null : $"{(int)response.StatusCode}, no '{expect}'";
                });
                errors += result.Errors;
                var cpu = pid is null ? (double?)null : (ProductCpu.Milliseconds(pid) - cpuBefore) / requests;
                Console.WriteLine($"{result.ToRow()}  {cpu,11:F2}  {size / 1024.0,4:F0}");
                rows.Add(new { page = name, path, concurrency, result.Operations, result.Errors, requestsPerSecond = result.RequestsPerSecond,
                    p50Ms = result.P50Ms, p99Ms = result.P99Ms, maxMs = result.MaxMs, cpuMsPerPage = cpu, bytes = size });
            }
        }
        if (Value("--json") is { } json)
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { users, bigGroup, load = new[] { load, fill }, pages = rows }, ScaleCommand.Json));
        return errors > 0 ? 1 : 0;
    }

    /// <summary>A client holding a console session: the sign-in form's antiforgery token, then the operator key.</summary>
    private static async Task<HttpClient> SignInAsync(Uri baseUrl, string operatorKey)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 8 };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var form = await client.GetStringAsync("console/sign-in");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var signedIn = await client.PostAsync("console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = operatorKey, ["__RequestVerificationToken"] = token,
        }));
        if (!signedIn.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/console/tenants", StringComparison.Ordinal))
            throw new InvalidOperationException($"sign-in to the console failed: {(int)signedIn.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
