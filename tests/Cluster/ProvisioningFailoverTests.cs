using System.Diagnostics;
using System.Text.Json.Nodes;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Grains;
using IdentityDirectory.Tokens;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>
/// DESIGN §2 (cluster mode) with the product's own grains and directory store: a silo of three on PostgreSQL is killed
/// (no goodbye, as a crashed process) while an identity provider provisions users and memberships, and no acknowledged
/// write is lost, none is doubled, and provisioning goes on. The provider's requests go through a silo that survives,
/// as through a co-hosted gateway, straight to the grains its SCIM endpoints call: the gateway's own per-tenant write
/// limit (R-GEN-7) would hold 2,000 users to over a minute, and the grains are where writes are acknowledged.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ProvisioningFailoverTests(PostgresClusterFixture fixture, ITestOutputHelper output)
{
    private const int UserCount = 2_000;
    private const int GroupCount = 20;
    private const int Concurrency = 16;
    private const int KillAfter = UserCount / 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryAcknowledgedUserAndMembershipSurvivesTheDeathOfASiloAndProvisioningGoesOn()
    {
        var victim = fixture.Cluster.Silos.First(silo => silo != fixture.Cluster.Primary);
        var gateway = fixture.GrainsOfASiloOtherThan(victim);
        var (tenantId, grant) = await gateway.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out _));
        var clock = Stopwatch.StartNew();
        var provider = new IdentityProvider(gateway, tenantId, tokenId, fixture.Time, clock);
        var groups = new string[GroupCount];
        for (var g = 0; g < GroupCount; g++)
            groups[g] = await provider.CreateGroupAsync($"failover-group-{g}");

        var users = new string[UserCount];
        var acknowledged = 0;
        var (kill, killedAt) = (Task.CompletedTask, TimeSpan.Zero);
        var declaredDead = fixture.DeclaredDeadAsync(victim, clock);
        await Parallel.ForAsync(0, UserCount, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            users[i] = await provider.CreateUserAsync($"user-{i:D4}@failover.example");
            await provider.AddMemberAsync(groups[i % GroupCount], users[i]);
            if (Interlocked.Increment(ref acknowledged) == KillAfter)
                (kill, killedAt) = (fixture.Cluster.KillSiloAsync(victim), clock.Elapsed);
        });
        await kill;

        var outage = provider.Outage;
        output.WriteLine($"{UserCount} users and memberships written at concurrency {Concurrency} in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"a silo was killed {killedAt.TotalMilliseconds:F0} ms in and declared dead {(await declaredDead.WaitAsync(Patience) - killedAt).TotalMilliseconds:F0} ms after the kill.");
        output.WriteLine(outage is { } failed
            ? $"{provider.Failures} of {provider.Attempts} requests failed (then succeeded on retry): the first failed one was sent " +
              $"{(failed.FirstFailureSent - killedAt).TotalMilliseconds:F0} ms after the kill, the first success after the last failure came " +
              $"{(failed.FirstSuccessAfter - killedAt).TotalMilliseconds:F0} ms after it: writes failed for {(failed.FirstSuccessAfter - failed.FirstFailureSent).TotalMilliseconds:F0} ms."
            : $"None of the {provider.Attempts} requests failed.");
        output.WriteLine($"{provider.CreatesFoundOnRetry} creates were stored although their answer was lost; their retry found the userName taken (R-USR-8).");

        // Writes continue: every user and membership was acknowledged in the end, many of them once the silo was declared dead.
        Assert.Equal(UserCount, acknowledged);
        Assert.True(provider.SuccessesSentAfter(await declaredDead) > 0, "no write was sent after the silo was declared dead");
        var survivor = fixture.GrainsOfASiloOtherThan(victim);
        await Parallel.ForAsync(0, UserCount, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            var stored = JsonNode.Parse((await survivor.User(tenantId, users[i]).GetAsync()).Utf8)!;
            Assert.Equal($"user-{i:D4}@failover.example", stored["userName"]!.GetValue<string>());
        });
        for (var g = 0; g < GroupCount; g++)
        {
            var (total, members) = await survivor.MembersOfAsync(tenantId, groups[g]);
            Assert.Equal(UserCount / GroupCount, total);
            Assert.Equal(users.Where((_, i) => i % GroupCount == g).Order(), members.Order());
        }
        // R-USR-8: the store's unique index is the one authority on userNames, whichever silo wrote.
        Assert.Empty(await DuplicateUserNamesAsync(tenantId));
        Assert.Equal(UserCount, await StoredUserCountAsync(tenantId));
        await fixture.Cluster.StartAdditionalSiloAsync();
    }

    private async Task<List<string>> DuplicateUserNamesAsync(string tenantId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT user_name_lc FROM directory_users WHERE tenant_id = @tenant GROUP BY user_name_lc HAVING count(*) > 1", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        var duplicates = new List<string>();
        while (await reader.ReadAsync())
            duplicates.Add(reader.GetString(0));
        return duplicates;
    }

    private async Task<long> StoredUserCountAsync(string tenantId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM directory_users WHERE tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>When requests failed: the first failed one was sent, and the first success after the last failure answered.</summary>
    private sealed record Outage(TimeSpan FirstFailureSent, TimeSpan FirstSuccessAfter);

    /// <summary>
    /// An identity provider's SCIM client, calling the grains a gateway's SCIM endpoints call, with its token as the
    /// actor (O-5). It retries a request that failed, as provisioning clients do; a 429 (R-GEN-7) it retries after the
    /// time it was told, which is no failure. Each POST is a new request, so the gateway names a new resource: when
    /// the first one was stored but its answer lost, the retry meets the userName taken (R-USR-8), and the client finds
    /// the stored user by a filter, as Entra does.
    /// </summary>
    private sealed class IdentityProvider(IGrainFactory gateway, string tenantId, string tokenId, FakeTimeProvider time, Stopwatch clock)
    {
        private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);
        private readonly Lock _lock = new();
        private readonly List<(TimeSpan Sent, TimeSpan Answered, bool Failed)> _requests = [];
        private int _createsFoundOnRetry;

        public int Attempts { get { lock (_lock) return _requests.Count; } }

        public int Failures { get { lock (_lock) return _requests.Count(request => request.Failed); } }

        public int CreatesFoundOnRetry => _createsFoundOnRetry;

        public int SuccessesSentAfter(TimeSpan moment)
        {
            lock (_lock)
                return _requests.Count(request => !request.Failed && request.Sent > moment);
        }

        public Outage? Outage
        {
            get
            {
                lock (_lock)
                {
                    var failures = _requests.Where(request => request.Failed).ToList();
                    if (failures.Count == 0)
                        return null;
                    var lastFailure = failures.Max(request => request.Answered);
                    return new Outage(
                        failures.Min(request => request.Sent),
                        _requests.Where(request => !request.Failed && request.Sent >= lastFailure).Min(request => request.Answered));
                }
            }
        }

        public async Task<string> CreateGroupAsync(string displayName) =>
            IdOf(await SendAsync(_ => gateway.Group(tenantId, NewId()).CreateAsync(GroupBody(displayName))));

        public Task<string> CreateUserAsync(string userName)
        {
            var body = ScimHttp.User(userName, externalId: userName).ToJsonString();
            return SendAsync(async retry =>
            {
                try
                {
                    return IdOf(await gateway.User(tenantId, ResourceKey.NewId(time)).CreateAsync(body));
                }
                catch (ScimException e) when (e.ScimType == ScimTypes.Uniqueness && retry)
                {
                    Interlocked.Increment(ref _createsFoundOnRetry);
                    var found = await gateway.GetGrain<IDirectoryQueryGrain>(tenantId)
                        .ListUsersAsync(new ListQuery($"userName eq \"{userName}\"", null, null, null));
                    return JsonNode.Parse(found.Utf8)!["Resources"]!.AsArray().Single()!["id"]!.GetValue<string>();
                }
            });
        }

        /// <summary>R-GRP-5: adding a member the group has is a successful no-op, so a retry is safe.</summary>
        public Task AddMemberAsync(string groupId, string userId) => SendAsync(async _ =>
        {
            await gateway.Group(tenantId, groupId).PatchAsync(PatchBody(new JsonObject
            {
                ["op"] = "add", ["path"] = "members", ["value"] = Members([userId]),
            }));
            return true;
        });

        /// <summary>Sends the request until it is answered, for <see cref="Patience"/> at most; its argument tells whether an earlier try failed.</summary>
        private async Task<T> SendAsync<T>(Func<bool, Task<T>> request)
        {
            var retry = false;
            var giveUp = clock.Elapsed + Patience;
            while (true)
            {
                var sent = clock.Elapsed;
                try
                {
                    AuditContext.Set(AuditContext.Token(tokenId), Guid.NewGuid().ToString("N"));
                    var answer = await request(retry);
                    Record(sent, failed: false);
                    return answer;
                }
                catch (ScimException e) when (e.RetryAfter is { } retryAfter)
                {
                    time.Advance(retryAfter); // the wait it was told, on the product's clock, which only the test moves
                }
                catch (Exception e) when (IsFailure(e) && clock.Elapsed < giveUp)
                {
                    Record(sent, failed: true);
                    retry = true;
                    await Task.Delay(RetryDelay);
                }
            }
        }

        /// <summary>
        /// A request that failed rather than being refused by a rule: the cluster could not answer, or two activations of
        /// one resource met in the store's version check while the cluster settled (409 invalidVers, "retry the request").
        /// </summary>
        private static bool IsFailure(Exception e) => e is not ScimException scim || scim.ScimType == ScimTypes.InvalidVers;

        private void Record(TimeSpan sent, bool failed)
        {
            lock (_lock)
                _requests.Add((sent, clock.Elapsed, failed));
        }

        private static string IdOf(ScimJson resource) => JsonNode.Parse(resource.Utf8)!["id"]!.GetValue<string>();
    }
}
