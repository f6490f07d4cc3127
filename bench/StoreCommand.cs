using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Filters;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Bench;

/// <summary>
/// <c>store --engine sqlite|postgres [--connection CS] [--concurrency 1,16,64] [--seconds 5] [--json FILE]</c>: the
/// directory store alone, without grains or HTTP, doing what each SCIM load phase asks of it: create (insert with
/// quota, fence and audit), get by id, filter <c>userName eq</c>, patch (versioned update with audit), member add
/// (one group's edges and count), delete (edges, counts, assignments, audit). SQLite runs on a new file in the
/// temporary folder; PostgreSQL on the database of <c>--connection</c>, which it fills (use a fresh one).
/// </summary>
public static class StoreCommand
{
    private const string Usage =
        "usage: store --engine sqlite|postgres [--connection <PostgreSQL connection string>] [--concurrency 1,16,64] [--seconds 5] [--json results.json]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var engine = Value("--engine");
        var connection = Value("--connection");
        if (engine is not ("sqlite" or "postgres") || (engine == "postgres" && connection is null))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var concurrency = (Value("--concurrency") ?? "1,16,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var seconds = TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "5", CultureInfo.InvariantCulture));
        var metrics = new DirectoryMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var file = Path.Combine(Path.GetTempPath(), $"store-bench-{Guid.NewGuid():N}.db");
        await using var dataSource = engine == "postgres" ? PostgresDirectoryStore.CreateDataSource(connection!) : null;
        IDirectoryStore store = dataSource is null ? new SqliteDirectoryStore($"Data Source={file}", metrics) : new PostgresDirectoryStore(dataSource, metrics);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; engine: {engine}");
        var results = new List<PhaseResult>();
        try
        {
            foreach (var level in concurrency)
            {
                await foreach (var result in new StorePhases(store, level, seconds).RunAsync())
                {
                    results.Add(result);
                    Console.WriteLine(result.ToRow());
                }
            }
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                File.Delete(path);
        }

        Console.WriteLine();
        Console.WriteLine(PhaseResult.Header);
        foreach (var result in results)
            Console.WriteLine(result.ToRow());
        if (Value("--json") is { } json)
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <summary>The phases at one concurrency, in a directory of their own.</summary>
    private sealed class StorePhases(IDirectoryStore store, int concurrency, TimeSpan duration)
    {
        private readonly DirectoryPartition _partition = DirectoryPartition.First(Guid.NewGuid().ToString());

        public async IAsyncEnumerable<PhaseResult> RunAsync()
        {
            var created = new (string Id, string UserName)?[1_000_000];
            yield return await Phase("create", created.Length, async i =>
            {
                var (id, userName) = (Guid.CreateVersion7().ToString(), $"bench-{i}@x.com");
                await store.InsertUserAsync(_partition, Row(id, userName, 1, $"Bench User {i}"), 1_000_000, Audit("CreateUser", id));
                created[i] = (id, userName);
                return true;
            });
            var users = created.TakeWhile(user => user is not null).Select(user => user!.Value).ToArray();
            var versions = new long[users.Length];
            Array.Fill(versions, 1);

            yield return await Phase("get", null, async i =>
                (await store.GetUserAsync(_partition, users[i % users.Length].Id))?.Id == users[i % users.Length].Id);

            yield return await Phase("filter", null, async i =>
                (await store.QueryUsersAsync(_partition, ResourceQuery.Equal(FilterScope.Users, "userName", users[i % users.Length].UserName),
                    new PageRequest(100, 1, false, 0))).Total == 1);

            yield return await Phase("patch", null, async i =>
            {
                var (id, userName) = users[i % users.Length];
                var version = Interlocked.Increment(ref versions[i % users.Length]);
                await store.UpdateUserAsync(_partition, Row(id, userName, version, $"Bench {i}") with { KeysChanged = false }, Audit("PatchUser", id));
                return true;
            });

            // A group takes one change at a time, as its grain does; the adds spread over one group per concurrent writer.
            var groups = new BenchGroup[concurrency];
            for (var g = 0; g < groups.Length; g++)
            {
                groups[g] = new BenchGroup(Guid.CreateVersion7().ToString());
                await store.InsertGroupAsync(_partition, GroupRow(groups[g], $"bench-{concurrency}-{g}"), [], 100_000, Audit("CreateGroup", groups[g].Id));
            }
            yield return await Phase("member add", users.Length, async i =>
            {
                var group = groups[i % groups.Length];
                await group.Turn.WaitAsync();
                try
                {
                    group.Version++;
                    return await store.UpdateGroupAsync(_partition, group.Id, GroupRow(group, $"bench-{concurrency}-{i % groups.Length}") with { KeysChanged = false },
                        new MembershipChange([users[i].Id], []), attributesChanged: false, Audit("PatchGroup", group.Id));
                }
                finally
                {
                    group.Turn.Release();
                }
            });

            yield return await Phase("delete", users.Length, async i =>
                await store.DeleteUserAsync(_partition, users[i].Id, Audit("DeleteUser", users[i].Id)), untilDone: true);
        }

        private Task<PhaseResult> Phase(string name, int? limit, Func<int, Task<bool>> operation, bool untilDone = false) =>
            PhaseRunner.RunAsync(name, concurrency, duration, limit, operation, untilDone);

        private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>A user row the size of a rendered SCIM user (about 600 bytes), with its search document.</summary>
        private static UserRow Row(string id, string userName, long version, string displayName)
        {
            var json = Encoding.UTF8.GetBytes(
                $$$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"{{{id}}}","externalId":"ext-{{{userName}}}","userName":"{{{userName}}}","name":{"givenName":"Bench","familyName":"User"},"displayName":"{{{displayName}}}","emails":[{"value":"{{{userName}}}","type":"work","primary":true}],"active":true,"meta":{"resourceType":"User","created":"2026-12-01T00:00:00Z","lastModified":"2026-12-01T00:00:00Z","location":"https://example.com/scim/v2/Users/{{{id}}}"}}""");
            return new(id, new UserKeys(userName, $"ext-{userName}", userName, null), version, Now, Now, json,
                SearchDocument.Of(JsonNode.Parse(json)!.AsObject(), FilterScope.Users));
        }

        private static GroupRow GroupRow(BenchGroup group, string displayName) =>
            new(group.Id, displayName, null, group.Version, Now, Now, Encoding.UTF8.GetBytes("{}"),
                SearchDocument.Of(new JsonObject { ["displayName"] = displayName }, FilterScope.Groups));

        private sealed class BenchGroup(string id)
        {
            public string Id { get; } = id;
            public SemaphoreSlim Turn { get; } = new(1);
            public long Version { get; set; } = 1;
        }

        private static AuditEntry Audit(string action, string id) => new(Now, "bench", action, $"User/{id}", null);
    }
}
