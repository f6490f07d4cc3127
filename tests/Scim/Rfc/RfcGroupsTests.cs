using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;
using static IdentityDirectory.Tests.Scim.ConformanceChecks;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios C-62..C-79 and C-88 of SCIM-RULES.md §13 (groups) on tenants switched to the rfc profile.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcGroupsTests(GatewayFixture fixture)
{
    // Scenario C-62. Rule R-CRUD-1, R-GRP-1, R-META-3: 201 with Location; no members yet.
    [Fact]
    public async Task C62_PostGroupCreatesItWithLocationAndNoMembers()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = RfcScim.Group("G1");
        body["externalId"] = "gx";

        var response = await tenant.Client.PostJsonAsync("Groups", body);
        var group = await response.ExpectRfcAsync(HttpStatusCode.Created);

        Assert.Equal("Group", group["meta"]!["resourceType"]!.GetValue<string>());
        Assert.True(group["members"] is null or JsonArray { Count: 0 });
        Assert.Equal(group["meta"]!["location"]!.GetValue<string>(), response.Headers.Location!.ToString());
    }

    // Scenario C-63. Rule R-GRP-2: displayName is unique per tenant, case-insensitively (on by default in the rfc profile).
    [Fact]
    public async Task C63_PostGroupWithDisplayNameDifferingOnlyInCaseIsConflict()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateGroupAsync("G1");

        await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("g1"))).ExpectRfcErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    // Scenario C-65. Rule R-CRUD-7, R-ENT-2: excludedAttributes=members leaves no members key.
    [Fact]
    public async Task C65_FilterGroupByDisplayNameWithExcludedMembersHasNoMembersKey()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var user = await tenant.Client.CreateUserAsync(User());
        var id = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([user])))).ExpectRfcAsync(HttpStatusCode.Created));
        await tenant.Client.CreateGroupAsync("Other");

        var list = await tenant.Client.GetRfcAsync($"Groups?excludedAttributes=members&filter={Uri.EscapeDataString("displayName eq \"G1\"")}");

        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        var group = Assert.Single(list["Resources"]!.AsArray())!;
        Assert.Equal(id, group["id"]!.GetValue<string>());
        Assert.False(group.AsObject().ContainsKey("members"), group.ToJsonString());
    }

    // Scenario C-66. Rule R-PAT-4 [RFC], R-PAT-12, R-FLT-7: 200 with the group, its new member shown; the membership filter finds it.
    [Fact]
    public async Task C66_PatchAddMemberWithNullRefAnswersTheGroupAndIsVisibleThroughFilter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var g = await tenant.Client.CreateGroupAsync("G1");
        var u1 = await tenant.Client.CreateUserAsync(User());

        var group = await (await tenant.Client.PatchJsonAsync($"Groups/{g}",
            Op("Add", "members", new JsonArray(new JsonObject { ["$ref"] = null, ["value"] = u1 })))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(new[] { u1 }, RfcScim.MemberValues(group));
        Assert.Equal(1, await tenant.Client.TotalAsync("Groups", MembershipFilter(g, u1)));
    }

    // Scenario C-68. Rule R-PAT-6, R-PAT-4 [RFC]: remove by a value filter → 200 with the group; the membership ends.
    [Fact]
    public async Task C68_PatchRemoveMemberByValueFilterEndsMembership()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var u1 = await tenant.Client.CreateUserAsync(User());
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([u1])))).ExpectRfcAsync(HttpStatusCode.Created));

        var group = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("remove", $"members[value eq \"{u1}\"]"))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Empty(RfcScim.MemberValues(group));
        Assert.Equal(0, await tenant.Client.TotalAsync("Groups", MembershipFilter(g, u1)));
    }

    // Scenario C-69. Rule R-GRP-5: removing a non-member is a successful no-op.
    [Fact]
    public async Task C69_PatchRemoveOfNonMemberIsNoOp()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var g = await tenant.Client.CreateGroupAsync("G1");
        var u1 = await tenant.Client.CreateUserAsync(User());
        var before = await tenant.Client.GetRfcAsync($"Groups/{g}");

        var after = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("remove", "members", Members([u1])))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(before, after));
    }

    // Rule R-PAT-5, R-META-4: adding a member again changes nothing, version and lastModified included.
    [Fact]
    public async Task AddingAMemberAgainChangesNothing()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var u1 = await tenant.Client.CreateUserAsync(User());
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([u1])))).ExpectRfcAsync(HttpStatusCode.Created));
        var before = await tenant.Client.GetRfcAsync($"Groups/{g}");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        var after = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("add", "members", Members([u1])))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(before, after), $"{before.ToJsonString()}\n{after.ToJsonString()}");
    }

    // Scenario C-70. Rule R-PAT-7: a pathless replace ignores id and renames the group.
    [Fact]
    public async Task C70_PathlessReplaceWithOwnIdRenamesGroup()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var g = await tenant.Client.CreateGroupAsync("G1");

        var group = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("replace", null, new JsonObject { ["id"] = g, ["displayName"] = "G1b" })))
            .ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal("G1b", group["displayName"]!.GetValue<string>());
        Assert.Equal("G1b", (await tenant.Client.GetRfcAsync($"Groups/{g}"))["displayName"]!.GetValue<string>());
    }

    // Scenario C-74. Rule R-GRP-5: a member that is no user → 400 invalidValue.
    [Fact]
    public async Task C74_PatchAddUnknownMemberIsInvalidValue()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var g = await tenant.Client.CreateGroupAsync("G1");

        await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("add", "members", Members(["no-such-user"])))).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    // Scenario C-76. Rule R-CRUD-5 [RFC], R-GRP-4 [RFC]: PUT replaces the members; GET shows them as users.
    [Fact]
    public async Task C76_PutGroupReplacesMembersAndGetShowsThem()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var (u1, u2, u3) = (await tenant.Client.CreateUserAsync(User()), await tenant.Client.CreateUserAsync(RfcScim.MinimalUser()),
            await tenant.Client.CreateUserAsync(RfcScim.MinimalUser()));
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([u3])))).ExpectRfcAsync(HttpStatusCode.Created));

        var replaced = await (await tenant.Client.PutJsonAsync($"Groups/{g}", RfcScim.Group("G1-put", Members([u1, u2])))).ExpectRfcAsync(HttpStatusCode.OK);
        var group = await tenant.Client.GetRfcAsync($"Groups/{g}");

        Assert.Equal("G1-put", replaced["displayName"]!.GetValue<string>());
        Assert.Equal(new[] { u1, u2 }.Order(), RfcScim.MemberValues(group));
        Assert.All(group["members"]!.AsArray(), m => Assert.Equal("User", m!["type"]!.GetValue<string>()));
        Assert.Equal(new Uri(tenant.Client.BaseAddress!, $"Users/{u1}").ToString(),
            group["members"]!.AsArray().Single(m => m!["value"]!.GetValue<string>() == u1)!["$ref"]!.GetValue<string>());
        Assert.Equal(0, await tenant.Client.TotalAsync("Groups", MembershipFilter(g, u3)));
    }

    // Rule R-PAT-6, R-PAT-7, R-GRP-4 [RFC]: replace sets the whole member list; remove without a value removes every member.
    [Fact]
    public async Task PatchReplacesAndRemovesTheWholeMemberList()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var users = await tenant.Client.CreateUsersAsync(fixture, 3);
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members(users.Take(2))))).ExpectRfcAsync(HttpStatusCode.Created));

        var replaced = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("replace", "members", Members(users.Skip(1)))))
            .ExpectRfcAsync(HttpStatusCode.OK);
        Assert.Equal(users.Skip(1).Order(), RfcScim.MemberValues(replaced));

        var emptied = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("remove", "members"))).ExpectRfcAsync(HttpStatusCode.OK);
        Assert.Empty(RfcScim.MemberValues(emptied));
        Assert.Equal(0, (await tenant.Client.GetRfcAsync(FilterQuery("Users", $"groups.value eq \"{g}\"")))["totalResults"]!.GetValue<int>());
    }

    // Rule R-GRP-4 [RFC]: a list shows each group's members.
    [Fact]
    public async Task ListsShowEachGroupsMembers()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var users = await tenant.Client.CreateUsersAsync(fixture, 2);
        var first = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("A", Members(users)))).ExpectRfcAsync(HttpStatusCode.Created));
        var second = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("B", Members(users.Take(1))))).ExpectRfcAsync(HttpStatusCode.Created));

        var groups = (await tenant.Client.GetRfcAsync("Groups"))["Resources"]!.AsArray().ToDictionary(g => g!["id"]!.GetValue<string>(), g => g!.AsObject());

        Assert.Equal(users.Order(), RfcScim.MemberValues(groups[first]));
        Assert.Equal(users.Take(1), RfcScim.MemberValues(groups[second]));
    }

    // Scenario C-78. Rule R-CRUD-6, R-GRP-6, R-FLT-7 [RFC]: deleting a user ends its memberships; the filter naming it answers 0.
    [Fact]
    public async Task C78_DeleteUserThenGetAndDeleteAgainAreNotFoundAndMembershipFilterAnswersZero()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var u1 = await tenant.Client.CreateUserAsync(User());
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([u1])))).ExpectRfcAsync(HttpStatusCode.Created));

        await (await tenant.Client.DeleteAsync($"Users/{u1}")).ExpectNoContentAsync();
        await (await tenant.Client.GetAsync($"Users/{u1}")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
        await (await tenant.Client.DeleteAsync($"Users/{u1}")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await tenant.Client.TotalAsync("Groups", MembershipFilter(g, u1)));
        Assert.Empty(RfcScim.MemberValues(await tenant.Client.GetRfcAsync($"Groups/{g}")));
    }

    // Scenario C-79. Rule R-CRUD-6, R-GRP-6: deleting a group keeps its users.
    [Fact]
    public async Task C79_DeleteGroupThenGetIsNotFoundAndMembersRemain()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var u1 = await tenant.Client.CreateUserAsync(User());
        var g = Id(await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("G1", Members([u1])))).ExpectRfcAsync(HttpStatusCode.Created));

        await (await tenant.Client.DeleteAsync($"Groups/{g}")).ExpectNoContentAsync();
        await (await tenant.Client.GetAsync($"Groups/{g}")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
        Assert.Null((await tenant.Client.GetRfcAsync($"Users/{u1}"))["groups"]);
    }

    // Scenario C-88. Rule R-PAT-7: in a pathless value, id is ignored whatever it says.
    [Fact]
    public async Task C88_PathlessReplaceWithForeignIdRenamesGroupAndKeepsItsId()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var g = await tenant.Client.CreateGroupAsync("G1");

        var group = await (await tenant.Client.PatchJsonAsync($"Groups/{g}", Op("replace", null, new JsonObject { ["id"] = "some-other-id", ["displayName"] = "G1c" })))
            .ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(g, Id(group));
        Assert.Equal("G1c", (await tenant.Client.GetRfcAsync($"Groups/{g}"))["displayName"]!.GetValue<string>());
    }
}
