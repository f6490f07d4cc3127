using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

[Collection(GatewayCollection.Name)]
public sealed class ConcurrencyTests(GatewayFixture fixture)
{
    [Fact]
    public async Task FiftyConcurrentCreatesOfOneUserNameMakeExactlyOneUser_RUsr8()
    {
        var tenant = await fixture.CreateTenantAsync();
        var userName = $"race-{Guid.NewGuid():N}"[..20] + "@x.com";

        // DESIGN §4 and Rule R-USR-8: only userName is shared (emails and externalIds differ), so each 409 is userName uniqueness.
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            tenant.Client.PostJsonAsync("Users", User(i % 2 == 0 ? userName : userName.ToUpperInvariant(),
                email: $"race-{i}-{Guid.NewGuid():N}@x.com", externalId: $"ext-{i}-{Guid.NewGuid():N}"))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await conflict.ExpectErrorAsync(HttpStatusCode.Conflict, "uniqueness");

        var created = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).ReadJsonAsync();
        var list = await (await tenant.Client.GetAsync($"Users?filter=userName+eq+%22{Uri.EscapeDataString(userName)}%22"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(created["id"]!.GetValue<string>(), list["Resources"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task FiftyConcurrentMemberAddsToOneGroupAllLand_RPat4()
    {
        var tenant = await fixture.CreateTenantAsync();
        var groupId = await tenant.Client.CreateGroupAsync();
        var userIds = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => tenant.Client.CreateUserAsync()));

        var responses = await Task.WhenAll(userIds.Select(id => tenant.Client.PatchJsonAsync($"Groups/{groupId}",
            Op("add", "members", new JsonArray(new JsonObject { ["value"] = id })))));

        // Rule R-PAT-4: each group PATCH → 204; and every concurrent change lands (DESIGN §2, GroupGrain).
        foreach (var response in responses)
            await response.ExpectAsync(HttpStatusCode.NoContent);
        // Rule R-FLT-7: groups.value eq "<g>" lists the members of a group.
        var list = await (await tenant.Client.GetAsync($"Users?filter=groups.value+eq+%22{groupId}%22&count=100"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(50, list["totalResults"]!.GetValue<int>());
        var listed = list["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order();
        Assert.Equal(userIds.Order(), listed);
    }
}
