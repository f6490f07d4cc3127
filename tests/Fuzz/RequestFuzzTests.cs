using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using Xunit.Abstractions;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of the real product on Kestrel (DESIGN.md §4: every input answered). Each run sends
/// <see cref="DefaultRequests"/> requests generated from one seed by mutating valid SCIM and admin requests
/// (<see cref="RequestGenerators"/>), one at a time, and holds every answer to <see cref="AnswerChecks"/>; after
/// every refused (4xx) request the store must be as it was before it (<see cref="StoreFingerprint"/>).
/// The seed is new each run and printed. <c>IDENTITY_DIRECTORY_FUZZ_SEED</c> replays a run,
/// <c>IDENTITY_DIRECTORY_FUZZ_EXAMPLE</c> one request of it, <c>IDENTITY_DIRECTORY_FUZZ_REQUESTS</c> sets the count.
/// A failure reports the smallest failing request found (CsCheck's size), its answer and both seeds.
/// </summary>
public sealed class RequestFuzzTests(RequestFuzzTests.FuzzedProduct product, ITestOutputHelper output) : IClassFixture<RequestFuzzTests.FuzzedProduct>
{
    private const int DefaultRequests = 10_000;
    private const int DefaultRfcRequests = 3_000;
    private const uint Stream = 16;
    private static readonly TimeSpan ShrinkBudget = TimeSpan.FromSeconds(20);

    // Rules R-ERR-1, R-ERR-3, R-GEN-5, R-GEN-8, R-PAT-1, R-PAT-2, DESIGN §4: no 5xx, every error with the body of its API, no change from a refused request.
    [Fact]
    public Task EveryGeneratedRequestIsAnsweredCleanlyAndARefusedOneChangesNothing() => FuzzAsync(profile: null, DefaultRequests);

    // The same rules for a SCIM tenant in the rfc profile (O-3), with Bulk on, whose answers and endpoints differ (R-SRCH-1, R-BULK-2, R-ETAG-2).
    [Fact]
    public Task EveryGeneratedRequestToAnRfcTenantIsAnsweredCleanlyAndARefusedOneChangesNothing() =>
        FuzzAsync(new JsonObject { ["profile"] = "rfc", ["patchNoContent"] = true, ["bulkEnabled"] = true }, DefaultRfcRequests);

    /// <param name="profile">settings that switch the SCIM tenant to another wire profile; null leaves it in the default one.</param>
    private async Task FuzzAsync(JsonObject? profile, int defaultRequests)
    {
        var generator = new RequestGenerators(await SeedAsync(profile)).All;
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = product.BaseAddress };
        using var database = product.OpenDatabaseReadOnly();
        using var fingerprint = new StoreFingerprint(database);
        var run = new Run(client, fingerprint);

        if (Environment.GetEnvironmentVariable("IDENTITY_DIRECTORY_FUZZ_EXAMPLE") is { Length: > 0 } example)
        {
            var request = generator.Generate(PCG.Parse(example), null, out _);
            var fault = await run.FaultAsync(request);
            Assert.True(fault is null, $"{fault}\nrequest:\n{request}");
            return;
        }

        var seed = Environment.GetEnvironmentVariable("IDENTITY_DIRECTORY_FUZZ_SEED") is { Length: > 0 } given
            ? ulong.Parse(given, NumberStyles.HexNumber)
            : (ulong)Random.Shared.NextInt64();
        var count = int.TryParse(Environment.GetEnvironmentVariable("IDENTITY_DIRECTORY_FUZZ_REQUESTS"), out var asked) ? asked : defaultRequests;
        output.WriteLine($"Seed {seed:x16} (IDENTITY_DIRECTORY_FUZZ_SEED={seed:x16} replays this run)");
        var clock = Stopwatch.StartNew();

        var pcg = new PCG(Stream, seed);
        var failures = new Dictionary<string, Failure>();
        for (var i = 0; i < count; i++)
        {
            var state = pcg.State;
            var request = generator.Generate(pcg, null, out var size);
            if (await run.FaultAsync(request) is { } fault)
                Keep(failures, new Failure(request, fault, size, pcg.ToString(state), 1));
        }
        output.WriteLine($"{count:N0} requests in {clock.Elapsed.TotalSeconds:F1} s: {run.Summary}");
        if (failures.Count == 0)
            return;

        await ShrinkAsync(generator, run, failures, new PCG(Stream + 1, seed));
        Assert.Fail($"{failures.Values.Sum(f => f.Count)} of {count:N0} requests failed (seed {seed:x16}), in {failures.Count} ways. " +
            "The smallest failing request found of each way (IDENTITY_DIRECTORY_FUZZ_EXAMPLE sends one alone):\n\n" +
            string.Join("\n\n", failures.Values.Select(f => $"{f.Count} × {f.Fault}\nIDENTITY_DIRECTORY_FUZZ_EXAMPLE={f.Example}\n{f.Request}")));
    }

    /// <summary>
    /// CsCheck's way of shrinking: generate on for a while and keep, for each way of failing, the smallest
    /// request (by CsCheck's size) that fails that way.
    /// </summary>
    private static async Task ShrinkAsync(Gen<FuzzRequest> generator, Run run, Dictionary<string, Failure> failures, PCG pcg)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ShrinkBudget)
        {
            var state = pcg.State;
            var request = generator.Generate(pcg, null, out var size);
            if (await run.FaultAsync(request) is { } fault)
                Keep(failures, new Failure(request, fault, size, pcg.ToString(state), 0));
        }
    }

    /// <summary>Failures are told apart by the first line of what was wrong.</summary>
    private static void Keep(Dictionary<string, Failure> failures, Failure failure)
    {
        var way = failure.Fault.Split('\n')[0];
        if (!failures.TryGetValue(way, out var known))
            failures[way] = failure;
        else if (Size.IsLessThan(failure.Size, known.Size))
            failures[way] = failure with { Count = known.Count + failure.Count };
        else
            failures[way] = known with { Count = known.Count + failure.Count };
    }

    private sealed record Failure(FuzzRequest Request, string Fault, Size Size, string Example, int Count);

    /// <summary>Sends requests one at a time, checks each answer, and compares the store around each refused one.</summary>
    private sealed class Run(HttpClient client, StoreFingerprint fingerprint)
    {
        private readonly Dictionary<int, int> _statuses = [];
        private string _store = fingerprint.Read();

        public string Summary => string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));

        public async Task<string?> FaultAsync(FuzzRequest request)
        {
            HttpAnswer response;
            try
            {
                response = await request.SendAsync(client);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                _store = fingerprint.Read();
                // Kestrel refuses such a request before reading its body and closes the connection, so a client still
                // sending a large body may meet the reset before the bare status (docs/decisions.md, "The request edge").
                return request.EdgeStatus is not null ? null : $"no answer: {e.GetType().Name}: {e.Message}";
            }
            _statuses[response.Status] = _statuses.GetValueOrDefault(response.Status) + 1;
            var before = _store;
            _store = fingerprint.Read();
            if (AnswerChecks.Problem(request, response) is { } problem)
                return $"{problem}\nanswer:\n{response}";
            if (response.Status >= 400 && _store != before)
                return $"a refused request changed the store\nbefore: {before}\nafter:  {_store}\nanswer:\n{response}";
            return null;
        }
    }

    /// <summary>The tenants and resources the generators aim at, each request of the seeding checked as it goes.</summary>
    private async Task<FuzzTargets> SeedAsync(JsonObject? profile)
    {
        var scim = await product.CreateTenantAsync();
        var other = await product.CreateTenantAsync();
        using var admin = await product.CreateAdminClientAsync();
        if (profile is not null)
            await (await admin.PatchAsJsonAsync($"tenants/{scim.TenantId}/settings", profile)).ExpectAsync(HttpStatusCode.OK);
        var users = new List<string>();
        for (var i = 0; i < 4; i++)
            users.Add(await scim.Client.CreateUserAsync(UniqueUser()));
        var groups = new List<string> { await scim.Client.CreateGroupAsync(), await scim.Client.CreateGroupAsync() };
        await (await scim.Client.PatchJsonAsync($"Groups/{groups[0]}", Op("add", "members", new JsonArray(new JsonObject { ["value"] = users[0] }))))
            .ExpectAsync(HttpStatusCode.NoContent);
        await (await other.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK); // a token's first use is recorded

        var manual = await (await admin.PostAsJsonAsync("tenants", new { displayName = "Manual", identitySource = "identityCenter" }))
            .ExpectAsync(HttpStatusCode.Created);
        var manualTenant = manual["tenantId"]!.GetValue<string>();
        var manualUsers = new List<string>();
        var userName = "";
        for (var i = 0; i < 3; i++)
        {
            var user = UniqueUser();
            userName = user["userName"]!.GetValue<string>();
            manualUsers.Add((await (await admin.PostAsync($"tenants/{manualTenant}/users", AdminApi.Json(user))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        }
        var manualGroups = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var group = new JsonObject { ["schemas"] = new JsonArray(GroupSchema), ["displayName"] = $"Manual {i}" };
            manualGroups.Add((await (await admin.PostAsync($"tenants/{manualTenant}/groups", AdminApi.Json(group))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        }
        return new FuzzTargets(scim.TenantId, scim.Token, other.Token, users, groups, manualTenant, manual["identityStoreId"]!.GetValue<string>(),
            manualUsers, manualGroups, userName, await product.OperatorKeyAsync());
    }

    /// <summary>
    /// The product, with its SQLite file in memory (/dev/shm) where there is one: every acknowledged write waits for an
    /// fsync, which on a disk made the valid writes of a run cost more than all the rest; durability is not what this proves.
    /// </summary>
    public sealed class FuzzedProduct() : GatewayFixture(InMemory(), ownsDirectory: true)
    {
        private static string InMemory() =>
            System.IO.Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "idir-tests", Guid.NewGuid().ToString("N")) : TestDirectories.New();
    }
}
