using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>source-change</c>: a tenant with N users and N assignments changes its identity source to
/// ActiveDirectory (a wipe, I-1) while another tenant takes SCIM writes. Reports the change's
/// duration, the background purge's duration, and the other tenant's write latency before, during
/// and after.
/// </summary>
public static class SourceChangeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var baseUrl = Value("--base") ?? throw new ArgumentException("--base");
        var users = int.Parse(Value("--users") ?? "100000");
        var database = Value("--db") ?? throw new ArgumentException("--db");
        using var admin = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/admin/"), Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Value("--operator-key"));
        using var scim = new ScimClient(new Uri(Value("--scim-endpoint")!.TrimEnd('/') + "/"), Value("--scim-token")!, 8);

        var tenant = await (await admin.PostAsJsonAsync("tenants", new { displayName = "big", identitySource = "IdentityCenter" })).Content.ReadFromJsonAsync<JsonObject>();
        var tenantId = tenant!["tenantId"]!.GetValue<string>();
        var ids = new string[users];
        var loadUsers = await Sampler.RunAsync("load: admin POST users", 32, users, async i =>
        {
            var body = new JsonObject
            {
                ["userName"] = $"u{i}@big.example", ["displayName"] = $"U {i}",
                ["name"] = new JsonObject { ["givenName"] = "U", ["familyName"] = $"{i}" },
                ["emails"] = new JsonArray(new JsonObject { ["value"] = $"u{i}@big.example", ["primary"] = true }),
            };
            using var response = await admin.PostAsync($"tenants/{tenantId}/users", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            ids[i] = (await Expect(response, HttpStatusCode.Created))["id"]!.GetValue<string>();
            return null;
        });
        var loadAssignments = await Sampler.RunAsync("load: admin POST assignments", 32, users, async i =>
        {
            using var response = await admin.PostAsJsonAsync($"tenants/{tenantId}/assignments",
                new { principalType = "User", principalId = ids[i], target = $"account-{i % 50}", permissionSet = $"ps-{i % 5}" });
            await Expect(response, HttpStatusCode.Created);
            return null;
        });
        if (loadUsers.Errors + loadAssignments.Errors > 0)
            throw new InvalidOperationException($"the load failed: {string.Join("; ", Sampler.ErrorSamples)}");
        var (usersSeconds, assignmentsSeconds) = (loadUsers.Seconds, loadAssignments.Seconds);
        Console.WriteLine($"loaded {users} users in {usersSeconds:F1} s, {users} assignments in {assignmentsSeconds:F1} s");

        var samples = new ConcurrentBag<(double At, double Ms, bool Ok)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var writer = Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var started = clock.Elapsed.TotalMilliseconds;
                var userName = $"other-{w}-{n}-{Guid.NewGuid():N}@x.com";
                var body = new JsonObject
                {
                    ["userName"] = userName, ["displayName"] = "O",
                    ["name"] = new JsonObject { ["givenName"] = "O", ["familyName"] = "T" },
                    ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["primary"] = true }),
                }.ToJsonString();
                var (status, created) = await scim.SendAsync(HttpMethod.Post, "Users", body);
                samples.Add((started / 1000, clock.Elapsed.TotalMilliseconds - started, status == HttpStatusCode.Created));
                // Deleted again (untimed) so the tenant stays small: the wait for the purge is over a
                // minute, and at thousands of creates a second the tenant would reach its user quota.
                if (created?["id"]?.GetValue<string>() is { } id && (await scim.SendAsync(HttpMethod.Delete, $"Users/{id}")).Status != HttpStatusCode.NoContent)
                    samples.Add((started / 1000, 0, false));
            }
        })));

        await Task.Delay(TimeSpan.FromSeconds(10));
        var changeAt = clock.Elapsed.TotalSeconds;
        var change = Stopwatch.StartNew();
        using (var response = await admin.PutAsJsonAsync($"tenants/{tenantId}/identity-source", new { identitySource = "ActiveDirectory" }))
            await Expect(response, HttpStatusCode.OK);
        var changeMs = change.Elapsed.TotalMilliseconds;
        var visible = await (await admin.GetAsync($"tenants/{tenantId}/users?count=1")).Content.ReadFromJsonAsync<JsonObject>();
        var visibleAfter = visible!["Resources"]!.AsArray().Count;

        var purgeStartedAt = (double?)null;
        var purgedAt = (double?)null;
        var deadline = Stopwatch.StartNew();
        while (purgedAt is null && deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var left = CountRows(database, tenantId);
            if (purgeStartedAt is null && left < 2L * users)
                purgeStartedAt = clock.Elapsed.TotalSeconds;
            if (left == 0)
                purgedAt = clock.Elapsed.TotalSeconds;
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        stop.Cancel();
        await writer;

        var report = new
        {
            Users = users,
            Assignments = users,
            LoadUsersSeconds = usersSeconds,
            LoadAssignmentsSeconds = assignmentsSeconds,
            ChangeMilliseconds = changeMs,
            UsersVisibleRightAfterChange = visibleAfter,
            PurgeStartedSecondsAfterChange = purgeStartedAt - changeAt,
            PurgeSecondsAtMost = purgedAt - purgeStartedAt + 1,
            OtherTenantWrites = new
            {
                Before = Window("before", samples, 0, changeAt),
                // From the change until a second after the purge finished (polled once a second).
                DuringChangeAndPurge = Window("during change and purge", samples, changeAt, (purgedAt ?? clock.Elapsed.TotalSeconds) + 1),
                After = Window("after", samples, (purgedAt ?? clock.Elapsed.TotalSeconds) + 1, double.MaxValue),
                Errors = samples.Count(s => !s.Ok),
            },
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (Value("--json") is { } path)
            await File.WriteAllTextAsync(path, json);
        return report.OtherTenantWrites.Errors == 0 && purgedAt is not null && visibleAfter == 0 ? 0 : 1;
    }

    /// <summary>The other tenant's creates that started in [from, to), as a phase row (writers: 4); a failed delete counts as an error.</summary>
    private static PhaseResult Window(string name, IEnumerable<(double At, double Ms, bool Ok)> samples, double from, double to)
    {
        var inWindow = samples.Where(s => s.At >= from && s.At < to).ToList();
        var seconds = inWindow.Count == 0 ? 0 : inWindow.Max(s => s.At) - from;
        return PhaseResult.From(name, 4, inWindow.Where(s => s.Ok).Select(s => s.Ms).ToList(), inWindow.Count(s => !s.Ok), Math.Max(seconds, 0.001));
    }

    /// <summary>Rows of the tenant's first (retired) partition still in the store.</summary>
    private static long CountRows(string database, string tenantId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM directory_users WHERE tenant_id = $t) + (SELECT COUNT(*) FROM directory_assignments WHERE tenant_id = $t)";
        command.Parameters.AddWithValue("$t", tenantId);
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<JsonObject> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == status ? (JsonObject)JsonNode.Parse(text)! : throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    }
}
