using System.Net;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Bench;

/// <summary>
/// The load phases at one concurrency: baseline, create, get, filter, patch, member add, delete.
/// Every answer is checked; a wrong answer is an error, never a latency sample.
/// </summary>
public sealed class LoadPhases(ScimClient scim, int concurrency, TimeSpan phaseDuration)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly List<(string Id, string UserName)> _users = [];

    public async IAsyncEnumerable<PhaseResult> RunAsync()
    {
        yield return await RunPhaseAsync("baseline", null, async _ =>
        {
            var (status, body) = await scim.SendAsync(HttpMethod.Get, "ServiceProviderConfig");
            return status == HttpStatusCode.OK && body?["patch"]?["supported"]?.GetValue<bool>() == true;
        });

        var created = new (string, string)?[1_000_000];
        yield return await RunPhaseAsync("create", created.Length, async i =>
        {
            var userName = $"bench-{_run}-{concurrency}-{i}@x.com";
            var (status, body) = await scim.SendAsync(HttpMethod.Post, "Users", UserBody(userName, i));
            if (status != HttpStatusCode.Created || body?["userName"]?.GetValue<string>() != userName)
                return false;
            created[i] = (body["id"]!.GetValue<string>(), userName);
            return true;
        });
        _users.AddRange(created.Where(u => u is not null).Select(u => u!.Value));

        yield return await RunPhaseAsync("get", null, async i =>
        {
            var (id, _) = _users[i % _users.Count];
            var (status, body) = await scim.SendAsync(HttpMethod.Get, $"Users/{id}");
            return status == HttpStatusCode.OK && body?["id"]?.GetValue<string>() == id;
        });

        yield return await RunPhaseAsync("filter", null, async i =>
        {
            var (id, userName) = _users[i % _users.Count];
            var (status, body) = await scim.SendAsync(HttpMethod.Get, $"Users?filter=userName%20eq%20%22{Uri.EscapeDataString(userName)}%22");
            return status == HttpStatusCode.OK && body?["totalResults"]?.GetValue<int>() == 1
                && body["Resources"]?[0]?["id"]?.GetValue<string>() == id;
        });

        yield return await RunPhaseAsync("patch", null, async i =>
        {
            var (id, _) = _users[i % _users.Count];
            var displayName = $"Bench {i}";
            var (status, body) = await scim.SendAsync(HttpMethod.Patch, $"Users/{id}", PatchBody(
                new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = displayName },
                new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = i % 2 == 0 }));
            return status == HttpStatusCode.OK && body?["displayName"]?.GetValue<string>() == displayName;
        });

        var groupId = await CreateGroupAsync();
        yield return await RunPhaseAsync("member add", _users.Count, async i =>
        {
            var (status, _) = await scim.SendAsync(HttpMethod.Patch, $"Groups/{groupId}", PatchBody(
                new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = _users[i].Id }) }));
            return status == HttpStatusCode.NoContent;
        });

        yield return await RunPhaseAsync("delete", _users.Count, async i =>
        {
            var (status, _) = await scim.SendAsync(HttpMethod.Delete, $"Users/{_users[i].Id}");
            return status == HttpStatusCode.NoContent;
        }, untilDone: true);
    }

    private async Task<string> CreateGroupAsync()
    {
        var (status, body) = await scim.SendAsync(HttpMethod.Post, "Groups",
            new JsonObject { ["displayName"] = $"bench-{_run}-{concurrency}" }.ToJsonString());
        return status == HttpStatusCode.Created ? body!["id"]!.GetValue<string>() : throw new InvalidOperationException($"group create: {status}");
    }

    private Task<PhaseResult> RunPhaseAsync(string name, int? limit, Func<int, Task<bool>> operation, bool untilDone = false) =>
        PhaseRunner.RunAsync(name, concurrency, phaseDuration, limit, operation, untilDone);

    private static string UserBody(string userName, int i) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["displayName"] = $"Bench User {i}",
        ["name"] = new JsonObject { ["givenName"] = "Bench", ["familyName"] = $"User{i}" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
        ["externalId"] = $"ext-{userName}",
        ["active"] = true,
    }.ToJsonString();

    private static string PatchBody(params JsonObject[] operations) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(operations),
    }.ToJsonString();
}
