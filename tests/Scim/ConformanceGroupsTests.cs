using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

/// <summary>Conformance scenarios of SCIM-RULES.md §13, aws profile: groups, memberships, deletes, lists and odd input.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConformanceGroupsTests(GatewayFixture fixture)
{
    private static JsonObject Group(string displayName, string? externalId = null, JsonArray? members = null)
    {
        var group = new JsonObject { ["schemas"] = new JsonArray(GroupSchema), ["displayName"] = displayName };
        if (externalId is not null)
            group["externalId"] = externalId;
        if (members is not null)
            group["members"] = members;
        return group;
    }

    private static JsonObject AddMembers(params string[] userIds) => Op("add", "members", ConformanceChecks.Members(userIds));

    // Rule R-CRUD-1, R-META-2, R-GRP-1, R-GRP-4
    [Fact]
    public async Task C62_PostGroupCreatesItWithEmptyMembers()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var created = await (await client.PostJsonAsync("Groups", Group("G1", "gx"))).ExpectAsync(HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(ConformanceChecks.Id(created)));
        Assert.Contains(GroupSchema, ConformanceChecks.Strings(created["schemas"]));
        Assert.Equal("Group", created["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("G1", created["displayName"]!.GetValue<string>());
        Assert.Equal("gx", created["externalId"]!.GetValue<string>());
        Assert.True(created["members"] is null || created["members"] is JsonArray { Count: 0 }, created.ToJsonString());
        Assert.Equal(ConformanceChecks.Created(created), ConformanceChecks.LastModified(created));
    }

    // Rule R-GRP-2 (displayName unique per tenant, case-insensitive)
    [Fact]
    public async Task C63_PostGroupWithDisplayNameDifferingOnlyInCaseIsConflict()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        await client.CreateGroupAsync("G1");
        await (await client.PostJsonAsync("Groups", Group("g1"))).ErrAsync(HttpStatusCode.Conflict, "uniqueness");
        Assert.Equal(1, (await client.ListAsync("Groups", "displayName eq \"G1\""))["totalResults"]!.GetValue<int>());
    }

    // Rule R-CRUD-2, R-AWS-2 (at most 100 members on create)
    [Fact]
    public async Task C64_PostGroupWith101MembersIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var users = await client.CreateUsersAsync(fixture, 101);

        await (await client.PostJsonAsync("Groups", Group("Big", members: ConformanceChecks.Members(users)))).ErrAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await client.TotalAsync("Groups", "displayName eq \"Big\""));

        // The boundary: 100 members are accepted, so the 101st is what was refused.
        var created = await (await client.PostJsonAsync("Groups", Group("Big", members: ConformanceChecks.Members(users.Take(100))))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(100, await client.TotalAsync("Users", $"groups.value eq \"{ConformanceChecks.Id(created)}\""));
    }

    // Rule R-ENT-2, R-CRUD-7 [AWS] (excludedAttributes ignored), R-GRP-4 [AWS] (members always [])
    [Fact]
    public async Task C65_FilterGroupByDisplayNameWithExcludedMembersShowsEmptyMembers()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var user = await client.CreateUserAsync(User());
        var id = ConformanceChecks.Id(await (await client.PostJsonAsync("Groups", Group("G1", members: ConformanceChecks.Members([user]))))
            .ExpectAsync(HttpStatusCode.Created));
        await client.CreateGroupAsync("Other");

        var list = await (await client.GetAsync($"Groups?excludedAttributes=members&filter={Uri.EscapeDataString("displayName eq \"G1\"")}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ListSchema, list["schemas"]![0]!.GetValue<string>());
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        var group = list["Resources"]!.AsArray().Single()!;
        Assert.Equal(id, group["id"]!.GetValue<string>());
        Assert.True(group["members"] is JsonArray { Count: 0 }, group.ToJsonString());
    }

    // Rule R-PAT-4 (204, no body), R-PAT-1 ("Add"), R-PAT-12 ("$ref": null), R-FLT-7
    [Fact]
    public async Task C66_PatchAddMemberWithNullRefIsNoContentAndVisibleThroughFilter()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));

        var member = new JsonObject { ["$ref"] = null, ["value"] = u1 };
        await (await client.PatchJsonAsync($"Groups/{g}", Op("Add", "members", new JsonArray(member)))).ExpectNoContentAsync();

        var list = await client.ListAsync("Groups", ConformanceChecks.MembershipFilter(g, u1));
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(g, list["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u2)));
    }

    // Rule R-FLT-6, R-FLT-7 (groups.value on users, members.value on groups)
    [Fact]
    public async Task C67_MembershipIsListedByGroupsValueAndMembersValueFilters()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var other = await client.CreateGroupAsync("G2");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();
        await (await client.PatchJsonAsync($"Groups/{other}", AddMembers(u2))).ExpectNoContentAsync();

        var users = await client.ListAsync("Users", $"groups.value eq \"{g}\"");
        Assert.Equal(1, users["totalResults"]!.GetValue<int>());
        Assert.Equal(u1, users["Resources"]!.AsArray().Single()!["id"]!.GetValue<string>());

        var groups = await client.ListAsync("Groups", $"members.value eq \"{u1}\"");
        Assert.Equal(1, groups["totalResults"]!.GetValue<int>());
        Assert.Equal(g, groups["Resources"]!.AsArray().Single()!["id"]!.GetValue<string>());

        // members eq alone is the same query (R-FLT-7)
        Assert.Equal(1, await client.TotalAsync("Groups", $"members eq \"{u1}\""));
    }

    // Rule R-PAT-6 (remove by members[value eq]), R-PAT-4, R-FLT-7
    [Fact]
    public async Task C68_PatchRemoveMemberByValueFilterEndsMembership()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1, u2))).ExpectNoContentAsync();
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));

        await (await client.PatchJsonAsync($"Groups/{g}", Op("remove", $"members[value eq \"{u1}\"]"))).ExpectNoContentAsync();
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u2))); // only u1 left
    }

    // Rule R-GRP-5 (removing a non-member is a successful no-op), R-PAT-6 (path members + value array)
    [Fact]
    public async Task C69_PatchRemoveOfNonMemberIsNoOp()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u2))).ExpectNoContentAsync();

        await (await client.PatchJsonAsync($"Groups/{g}", Op("Remove", "members", ConformanceChecks.Members([u1])))).ExpectNoContentAsync();
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u2)));
    }

    // Rule R-PAT-7 (pathless replace; id key ignored), R-PAT-4
    [Fact]
    public async Task C70_PathlessReplaceWithOwnIdRenamesGroup()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");

        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", null, new JsonObject { ["id"] = g, ["displayName"] = "G1b" })))
            .ExpectNoContentAsync();
        var group = await client.GetGroupAsync(g);
        Assert.Equal("G1b", group["displayName"]!.GetValue<string>());
        Assert.Equal(g, ConformanceChecks.Id(group));
    }

    // Rule R-PAT-11 (replacing all memberships → 400)
    [Fact]
    public async Task C71_PatchReplaceMembersWithEmptyListIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();

        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", "members", new JsonArray()))).ErrAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
    }

    // Rule R-PAT-11, R-AWS-2 (at most 100 membership changes per PATCH)
    [Fact]
    public async Task C72_PatchAdding101MembersIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var users = await client.CreateUsersAsync(fixture, 101);

        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers([.. users]))).ErrAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await client.TotalAsync("Users", $"groups.value eq \"{g}\""));

        // The boundary: 100 changes are accepted.
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers([.. users.Take(100)]))).ExpectNoContentAsync();
        Assert.Equal(100, await client.TotalAsync("Users", $"groups.value eq \"{g}\""));
    }

    // Rule R-PAT-11 (only displayName, members, externalId), R-GRP-3
    [Fact]
    public async Task C73_PatchGroupDescriptionIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var before = await client.GetGroupAsync(g);

        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", "description", "d"))).ErrAsync(HttpStatusCode.BadRequest);
        await (await client.PatchJsonAsync($"Groups/{g}", Op("add", "description", "d"))).ErrAsync(HttpStatusCode.BadRequest);
        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", null, new JsonObject { ["description"] = "d" }))).ErrAsync(HttpStatusCode.BadRequest);
        Assert.True(JsonNode.DeepEquals(before, await client.GetGroupAsync(g)));
    }

    // Rule R-GRP-5 (a member that is not an existing user → 400 invalidValue)
    [Fact]
    public async Task C74_PatchAddUnknownMemberIsInvalidValue()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");

        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers("no-such-user"))).ErrAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(Guid.NewGuid().ToString()))).ErrAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    // Rule R-CRUD-5 [AWS] (PUT on groups is not supported)
    [Fact]
    public async Task C75_PutGroupIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var before = await client.GetGroupAsync(g);

        var body = (JsonObject)before.DeepClone();
        body["displayName"] = "G-put";
        await (await client.PutJsonAsync($"Groups/{g}", body)).ErrAsync(HttpStatusCode.BadRequest);
        Assert.True(JsonNode.DeepEquals(before, await client.GetGroupAsync(g)));
    }

    // Rule R-GRP-4 [AWS] (GET shows members [] even when the group has members)
    [Fact]
    public async Task C77_GetGroupWithMemberShowsEmptyMembers()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));

        var group = await client.GetGroupAsync(g);
        Assert.True(group["members"] is JsonArray { Count: 0 }, group.ToJsonString());
        var listed = (await (await client.GetAsync("Groups")).ExpectAsync(HttpStatusCode.OK))["Resources"]!.AsArray().Single()!;
        Assert.True(listed["members"] is JsonArray { Count: 0 }, listed.ToJsonString());
    }

    // Rule R-CRUD-6, R-GRP-6 (deleting a user ends its memberships), R-FLT-7 [AWS] (non-existing member → 404)
    [Fact]
    public async Task C78_DeleteUserThenGetAndDeleteAgainAreNotFoundAndMembershipFilterIsNotFound()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();

        await (await client.DeleteAsync($"Users/{u1}")).ExpectNoContentAsync();
        await (await client.GetAsync($"Users/{u1}")).ErrAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"Users/{u1}")).ErrAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync(ConformanceChecks.FilterQuery("Groups", ConformanceChecks.MembershipFilter(g, u1)))).ErrAsync(HttpStatusCode.NotFound);

        Assert.Equal("G1", (await client.GetGroupAsync(g))["displayName"]!.GetValue<string>()); // the group stays
        Assert.Equal(0, await client.TotalAsync("Users", $"groups.value eq \"{g}\""));
    }

    // Rule R-CRUD-6, R-GRP-6 (deleting a group leaves its users)
    [Fact]
    public async Task C79_DeleteGroupThenGetIsNotFoundAndMembersRemain()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();

        await (await client.DeleteAsync($"Groups/{g}")).ExpectNoContentAsync();
        await (await client.GetAsync($"Groups/{g}")).ErrAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"Groups/{g}")).ErrAsync(HttpStatusCode.NotFound);
        await client.GetUserAsync(u1);
        Assert.Equal(0, await client.TotalAsync("Groups", $"members eq \"{u1}\""));
    }

    // Rule R-USR-6 (groups [] and null are "absent" on create)
    [Fact]
    public async Task C87_PostUserWithEmptyGroupsIsCreated()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var user = UniqueUser();
        user["groups"] = new JsonArray();
        var created = await (await client.PostJsonAsync("Users", user)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(user["userName"]!.GetValue<string>(), created["userName"]!.GetValue<string>());
        Assert.True(created["groups"] is null || created["groups"] is JsonArray { Count: 0 }, created.ToJsonString());

        var withNull = UniqueUser();
        withNull["groups"] = null;
        await (await client.PostJsonAsync("Users", withNull)).ExpectAsync(HttpStatusCode.Created);
    }

    // Rule R-PAT-7 (in a pathless value, id is ignored whatever its value)
    [Fact]
    public async Task C88_PathlessReplaceWithForeignIdRenamesGroupAndKeepsItsId()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");

        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", null, new JsonObject { ["id"] = "some-other-id", ["displayName"] = "G1c" })))
            .ExpectNoContentAsync();
        var group = await client.GetGroupAsync(g);
        Assert.Equal(g, ConformanceChecks.Id(group));
        Assert.Equal("G1c", group["displayName"]!.GetValue<string>());
        await (await client.GetAsync("Groups/some-other-id")).ErrAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await client.TotalAsync("Groups", "displayName eq \"G1c\""));
    }

    // Rule R-PAT-11 (replace on members refused by default)
    [Fact]
    public async Task C91_PatchReplaceMembersWithNonEmptyListIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("G1");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{g}", AddMembers(u1))).ExpectNoContentAsync();

        await (await client.PatchJsonAsync($"Groups/{g}", Op("replace", "members", ConformanceChecks.Members([u2])))).ErrAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u2)));
    }

    // Rule R-PAT-14 (null and [] mean unassigned; ignored on POST)
    [Fact]
    public async Task C93_PostUserWithNullAndEmptyValuesStoresNothingForThem()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var user = UniqueUser();
        user["title"] = null;
        user["addresses"] = null;
        user["roles"] = new JsonArray();
        var created = await (await client.PostJsonAsync("Users", user)).ExpectAsync(HttpStatusCode.Created);
        foreach (var body in new[] { created, await client.GetUserAsync(ConformanceChecks.Id(created)) })
        {
            foreach (var name in new[] { "title", "addresses", "roles" })
                Assert.True(body[name] is null || body[name] is JsonArray { Count: 0 }, $"{name} stored: {body.ToJsonString()}");
        }
    }

    // Rule R-META-1 (an unknown id in any format → 404, never 400), R-ERR-5
    [Fact]
    public async Task C94_GetUserWithForeignIdFormatIsNotFound()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        await (await client.GetAsync("Users/00000000000000000000")).ErrAsync(HttpStatusCode.NotFound);
    }

    // Rule R-LST-1, R-LST-2, R-LST-3 (startIndex honoured, 1-based, stable order)
    [Fact]
    public async Task C95_PagingByStartIndexReturnsDistinctUsers()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var ids = new HashSet<string>
        {
            await client.CreateUserAsync(User()),
            await client.CreateUserAsync(UniqueUser()),
            await client.CreateUserAsync(UniqueUser()),
        };

        var seen = new List<string>();
        for (var startIndex = 1; startIndex <= 3; startIndex++)
        {
            var page = await (await client.GetAsync($"Users?startIndex={startIndex}&count=1")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(ListSchema, page["schemas"]![0]!.GetValue<string>());
            Assert.Equal(3, page["totalResults"]!.GetValue<int>());
            Assert.Equal(1, page["itemsPerPage"]!.GetValue<int>());
            Assert.Equal(startIndex, page["startIndex"]!.GetValue<int>());
            seen.Add(page["Resources"]!.AsArray().Single()!["id"]!.GetValue<string>());
        }
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Subset(ids, seen.ToHashSet());
    }

    // Rule R-PAT-2 (atomic), R-GRP-5: a failing last operation leaves displayName and memberships unchanged.
    [Fact]
    public async Task GroupPatchFailingOnLastOperationChangesNothing()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var g = await client.CreateGroupAsync("Orig");
        var u1 = await client.CreateUserAsync(UniqueUser());
        var before = await client.GetGroupAsync(g);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        await (await client.PatchJsonAsync($"Groups/{g}",
                Op("replace", "displayName", "Changed"),
                AddMembers(u1),
                AddMembers("no-such-user")))
            .ErrAsync(HttpStatusCode.BadRequest);

        var after = await client.GetGroupAsync(g);
        Assert.Equal("Orig", after["displayName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before, after), $"before {before.ToJsonString()}\nafter  {after.ToJsonString()}");
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
        Assert.Equal(0, await client.TotalAsync("Groups", "displayName eq \"Changed\""));

        // Same with a pathless rename and an externalId first, and a forbidden attribute last.
        await (await client.PatchJsonAsync($"Groups/{g}",
                Op("replace", null, new JsonObject { ["displayName"] = "Changed", ["externalId"] = "gx" }),
                AddMembers(u1),
                Op("replace", "description", "d")))
            .ErrAsync(HttpStatusCode.BadRequest);
        Assert.True(JsonNode.DeepEquals(before, await client.GetGroupAsync(g)));
        Assert.Equal(0, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(g, u1)));
    }

    // Rule R-GEN-3, R-GEN-8, R-ERR-1, R-ERR-3, R-USR-4, R-USR-9, R-PAT-1, R-FLT-4, R-FLT-6, R-LST-3, DESIGN §4 (1 MiB → 413):
    // malformed and odd input is a 4xx with a SCIM error body, never a 500, and changes nothing.
    [Fact]
    public async Task MalformedInputIsAlwaysAScimClientErrorNeverA500()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var userId = await client.CreateUserAsync(User());
        var groupId = await client.CreateGroupAsync("G1");
        var memberId = await client.CreateUserAsync(UniqueUser());
        await (await client.PatchJsonAsync($"Groups/{groupId}", AddMembers(memberId))).ExpectNoContentAsync();
        var userBefore = await client.GetUserAsync(userId);
        var groupBefore = await client.GetGroupAsync(groupId);
        fixture.Time.Advance(TimeSpan.FromSeconds(2)); // a write would move lastModified

        const HttpStatusCode Bad = HttpStatusCode.BadRequest;
        var huge = new string('a', ScimBodyLimit + 1);
        var cases = new List<(string Name, Func<HttpRequestMessage> Request, HttpStatusCode Status)>();
        void Json(string name, HttpMethod method, string path, string body, HttpStatusCode status = Bad) =>
            cases.Add((name, () => new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/scim+json") }, status));
        void UserBody(string name, Action<JsonObject> change, HttpStatusCode status = Bad)
        {
            var body = UniqueUser();
            change(body);
            Json($"POST Users {name}", HttpMethod.Post, "Users", body.ToJsonString(), status);
            var put = User();
            change(put);
            Json($"PUT Users {name}", HttpMethod.Put, $"Users/{userId}", put.ToJsonString(), status);
        }
        void UserPatch(string name, string operations) =>
            Json($"PATCH Users {name}", HttpMethod.Patch, $"Users/{userId}", $"{{\"schemas\":[\"{PatchSchema}\"],\"Operations\":{operations}}}");
        void GroupPatch(string name, string operations, HttpStatusCode status = Bad) =>
            Json($"PATCH Groups {name}", HttpMethod.Patch, $"Groups/{groupId}", $"{{\"schemas\":[\"{PatchSchema}\"],\"Operations\":{operations}}}", status);
        void Get(string name, string path, HttpStatusCode status = Bad) =>
            cases.Add((name, () => new HttpRequestMessage(HttpMethod.Get, path), status));

        // Not JSON, or JSON that is not an object (R-GEN-3).
        foreach (var (target, method) in new[] { ("Users", HttpMethod.Post), ($"Users/{userId}", HttpMethod.Put), ($"Users/{userId}", HttpMethod.Patch),
                     ("Groups", HttpMethod.Post), ($"Groups/{groupId}", HttpMethod.Patch) })
        {
            foreach (var (label, body) in new[] { ("open brace", "{"), ("truncated", "{\"userName\":"), ("not json", "userName=ruth"), ("empty", ""),
                         ("array", "[]"), ("array of object", "[{\"userName\":\"a@x.com\"}]"), ("string", "\"text\""), ("number", "42"), ("null", "null"),
                         ("trailing garbage", "{\"schemas\":[]} x"), ("single quotes", "{'userName':'a'}"), ("comment", "{/*c*/}"),
                         ("duplicate key", "{\"displayName\":\"a\",\"displayName\":\"b\"}"), ("deep nesting", new string('[', 10_000) + new string(']', 10_000)) })
                Json($"{method} {target} {label}", method, target, body);
            cases.Add(($"{method} {target} invalid UTF-8", () => new HttpRequestMessage(method, target)
            {
                Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}'])
                {
                    Headers = { ContentType = new MediaTypeHeaderValue("application/scim+json") },
                },
            }, Bad));
            // Over 1 MiB → 413, with a Content-Length and chunked.
            cases.Add(($"{method} {target} body over 1 MiB", () => new HttpRequestMessage(method, target)
            {
                Content = new StringContent($"{{\"displayName\":\"{huge}\"}}", Encoding.UTF8, "application/scim+json"),
            }, HttpStatusCode.RequestEntityTooLarge));
            cases.Add(($"{method} {target} chunked body over 1 MiB", () => new HttpRequestMessage(method, target)
            {
                Content = new ChunkedContent(Encoding.UTF8.GetBytes($"{{\"displayName\":\"{huge}\"}}")),
            }, HttpStatusCode.RequestEntityTooLarge));
        }

        // Wrong types for every attribute kind, unknown and unsupported attributes, nulls where a value is required.
        UserBody("string attribute as number", u => u["userName"] = 5);
        UserBody("string attribute as object", u => u["displayName"] = new JsonObject { ["a"] = "b" });
        UserBody("string attribute as boolean", u => u["externalId"] = true);
        UserBody("string attribute as two-element array", u => u["nickName"] = new JsonArray("a", "b"));
        UserBody("boolean attribute as word", u => u["active"] = "yes");
        UserBody("boolean attribute as number", u => u["active"] = 1);
        UserBody("boolean attribute as object", u => u["active"] = new JsonObject());
        UserBody("reference attribute as number", u => u["profileUrl"] = 7);
        UserBody("complex attribute as number", u => u["name"] = 3);
        UserBody("complex attribute as string", u => u["name"] = "Ruth R");
        UserBody("sub-attribute as number", u => u["name"]!["givenName"] = 12);
        UserBody("sub-attribute as array", u => u["name"]!["familyName"] = new JsonArray("R", "S"));
        UserBody("multi-valued attribute as number", u => u["emails"] = 42);
        UserBody("multi-valued attribute as boolean", u => u["phoneNumbers"] = true);
        UserBody("multi-valued element as number", u => u["emails"] = new JsonArray(42));
        UserBody("multi-valued element as nested array", u => u["addresses"] = new JsonArray(new JsonArray("x")));
        UserBody("email value as number", u => u["emails"]![0]!["value"] = 5);
        UserBody("email primary as word", u => u["emails"]![0]!["primary"] = "maybe");
        UserBody("role value as number", u => u["roles"] = new JsonArray(new JsonObject { ["value"] = 1 }));
        UserBody("extension as string", u => u[EnterpriseSchema] = "x");
        UserBody("extension attribute as number", u => u[EnterpriseSchema] = new JsonObject { ["employeeNumber"] = 7 });
        UserBody("manager as number", u => u[EnterpriseSchema] = new JsonObject { ["manager"] = 7 });
        UserBody("unknown attribute", u => u["favouriteColour"] = "blue");
        UserBody("unknown sub-attribute", u => u["name"]!["nickname"] = "R");
        UserBody("unknown extension attribute", u => u[EnterpriseSchema] = new JsonObject { ["shoeSize"] = "9" });
        UserBody("unknown schema-qualified attribute", u => u["urn:example:params:scim:schemas:custom:2.0:User:badge"] = "7");
        UserBody("unsupported ims", u => u["ims"] = new JsonArray(new JsonObject { ["value"] = "im" }));
        UserBody("unsupported x509Certificates", u => u["x509Certificates"] = new JsonArray(new JsonObject { ["value"] = "MIIB" }));
        UserBody("null userName", u => u["userName"] = null);
        UserBody("null name", u => u["name"] = null);
        UserBody("null displayName", u => u["displayName"] = null);
        UserBody("empty-array userName", u => u["userName"] = new JsonArray());
        UserBody("control character in displayName", u => u["displayName"] = "Ruth\u0000R");
        UserBody("userName of 129 characters", u => u["userName"] = new string('u', 129));
        UserBody("displayName of 1025 characters", u => u["displayName"] = new string('d', 1025));
        UserBody("externalId of 257 characters", u => u["externalId"] = new string('e', 257));
        UserBody("givenName of 500,000 characters", u => u["name"]!["givenName"] = new string('g', 500_000));
        Json("POST Groups displayName as number", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":5}}");
        Json("POST Groups null displayName", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":null}}");
        Json("POST Groups members as number", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"M1\",\"members\":5}}");
        Json("POST Groups member without value", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"M2\",\"members\":[{{\"display\":\"Ruth\"}}]}}");
        Json("POST Groups member of type Group", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"M3\",\"members\":[{{\"value\":\"{groupId}\",\"type\":\"Group\"}}]}}");
        Json("POST Groups unknown attribute", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"M4\",\"owner\":\"x\"}}");
        Json("POST Groups displayName of 1025 characters", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"{new string('g', 1025)}\"}}");
        Json("POST Groups externalId as array of objects", HttpMethod.Post, "Groups", $"{{\"schemas\":[\"{GroupSchema}\"],\"displayName\":\"M5\",\"externalId\":[{{}}]}}");

        // PatchOp shape (R-PAT-1) and odd operations.
        foreach (var (label, operations) in new[]
                 {
                     ("Operations missing", (string?)null), ("Operations object", "{}"), ("Operations string", "\"replace\""), ("Operations null", "null"),
                     ("Operations empty", "[]"), ("Operations of number", "[1]"), ("Operations of null", "[null]"), ("Operations of array", "[[]]"),
                     ("op missing", "[{\"path\":\"displayName\",\"value\":\"x\"}]"), ("op number", "[{\"op\":5,\"path\":\"displayName\",\"value\":\"x\"}]"),
                     ("op null", "[{\"op\":null,\"path\":\"displayName\",\"value\":\"x\"}]"), ("op copy", "[{\"op\":\"copy\",\"path\":\"displayName\",\"value\":\"x\"}]"),
                     ("add without value", "[{\"op\":\"add\",\"path\":\"displayName\"}]"), ("pathless add of a string", "[{\"op\":\"add\",\"value\":\"x\"}]"),
                     ("pathless replace of an array", "[{\"op\":\"replace\",\"value\":[{\"displayName\":\"x\"}]}]"),
                     ("remove with null path", "[{\"op\":\"remove\",\"path\":null}]"), ("path as number", "[{\"op\":\"replace\",\"path\":5,\"value\":\"x\"}]"),
                     ("path unterminated filter", "[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]"),
                     ("path brackets reversed", "[{\"op\":\"replace\",\"path\":\"emails]type eq \\\"work\\\"[\",\"value\":\"x\"}]"),
                     ("path double dot", "[{\"op\":\"replace\",\"path\":\"name..givenName\",\"value\":\"x\"}]"),
                     ("path unknown urn", "[{\"op\":\"replace\",\"path\":\"urn:nope:displayName\",\"value\":\"x\"}]"),
                     ("path filter with co", "[{\"op\":\"replace\",\"path\":\"emails[value co \\\"x\\\"].value\",\"value\":\"x\"}]"),
                     ("path filter on unknown sub-attribute", "[{\"op\":\"replace\",\"path\":\"emails[colour eq \\\"red\\\"].value\",\"value\":\"x\"}]"),
                     ("path filter on single-valued", "[{\"op\":\"replace\",\"path\":\"displayName[value eq \\\"x\\\"]\",\"value\":\"x\"}]"),
                     ("path readOnly groups", "[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]"),
                     ("path meta", "[{\"op\":\"replace\",\"path\":\"meta.created\",\"value\":\"2020-01-01T00:00:00Z\"}]"),
                     ("replace userName with null", "[{\"op\":\"replace\",\"path\":\"userName\",\"value\":null}]"),
                     ("replace name with null", "[{\"op\":\"replace\",\"path\":\"name\",\"value\":null}]"),
                     ("replace active with number", "[{\"op\":\"replace\",\"path\":\"active\",\"value\":0}]"),
                     ("replace displayName with object", "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":{\"x\":1}}]"),
                     ("replace emails with number", "[{\"op\":\"replace\",\"path\":\"emails\",\"value\":7}]"),
                     ("add roles", "[{\"op\":\"add\",\"path\":\"roles\",\"value\":[{\"value\":\"r\"}]}]"),
                     ("huge displayName", $"[{{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"{new string('z', 2000)}\"}}]"),
                 })
        {
            var body = operations is null ? $"{{\"schemas\":[\"{PatchSchema}\"]}}" : null;
            if (body is null)
            {
                UserPatch(label, operations!);
                GroupPatch(label, operations!);
            }
            else
            {
                Json($"PATCH Users {label}", HttpMethod.Patch, $"Users/{userId}", body);
                Json($"PATCH Groups {label}", HttpMethod.Patch, $"Groups/{groupId}", body);
            }
        }
        GroupPatch("members value number", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":5}]}]");
        GroupPatch("member without value", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"Ruth\"}]}]");
        GroupPatch("members as number", "[{\"op\":\"add\",\"path\":\"members\",\"value\":5}]");
        GroupPatch("members filter with add", $"[{{\"op\":\"add\",\"path\":\"members[value eq \\\"{memberId}\\\"]\",\"value\":[{{\"value\":\"{memberId}\"}}]}}]");
        GroupPatch("members sub-attribute", "[{\"op\":\"replace\",\"path\":\"members.display\",\"value\":\"x\"}]");
        GroupPatch("remove all members", "[{\"op\":\"remove\",\"path\":\"members\"}]");
        GroupPatch("remove displayName", "[{\"op\":\"remove\",\"path\":\"displayName\"}]");
        GroupPatch("replace id", "[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]");
        GroupPatch("replace displayName with number", "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":5}]");

        // Filters and list parameters with garbage (R-FLT-4, R-FLT-6, R-LST-3).
        foreach (var filter in new[]
                 {
                     "userName eq", "userName", "eq \"x\"", "(((", ")", "userName eq \"unterminated", "userName eq \"bad \\u zz\"",
                     "userName eq \"a\" or userName eq \"b\"", "userName eq \"a\" and", "and userName eq \"a\"", "not (userName eq \"a\")",
                     "userName co \"a\"", "userName eq null", "userName eq 5", "userName eq \"a\" and userName eq \"b\"",
                     "emails[type eq \"work\"].value eq \"a@x.com\"", "meta.created gt \"2020-01-01T00:00:00Z\"", "title pr",
                     "nosuch eq \"x\"", "userName eq \"a\" displayName eq \"b\"", "\u0000", "userName eq \"a\"\u0000", "[]",
                     "userName \"a\" eq", "userName eq \"a\")", "(userName eq \"a\"", "displayName eq \"G1\"",
                 })
            Get($"GET Users filter {filter}", ConformanceChecks.FilterQuery("Users", filter));
        foreach (var filter in new[]
                 {
                     "displayName eq", "displayName", "displayName eq \"G1\" or displayName eq \"G2\"", "displayName sw \"G\"",
                     "members[value eq \"x\"]", $"displayName eq \"G1\" and members eq \"{memberId}\"", "userName eq \"a\"",
                     "id eq 5", "displayName eq \"G1\" and", "externalId ne \"x\"",
                 })
            Get($"GET Groups filter {filter}", ConformanceChecks.FilterQuery("Groups", filter));
        Get("GET Groups membership filter with an unknown member", ConformanceChecks.FilterQuery("Groups", ConformanceChecks.MembershipFilter(groupId, "no-such-user")),
            HttpStatusCode.NotFound);
        foreach (var resource in new[] { "Users", "Groups" })
        {
            foreach (var query in new[] { "count=abc", "count=-1", "count=0", "count=101", "count=1.5", "count=99999999999", "startIndex=abc",
                         "startIndex=1e3", "cursor=!!!", "cursor=AAAA", "cursor=%00", "filter=%ff" })
                Get($"GET {resource}?{query}", $"{resource}?{query}");
        }

        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            ConformanceChecks.Pace(fixture, i + 1);
            var (name, request, status) = cases[i];
            var problem = await ProblemAsync(await client.SendAsync(request()), status);
            if (problem is not null)
                failures.Add($"{name}: {problem}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} odd inputs were not answered as expected:\n" + string.Join("\n", failures));

        Assert.True(JsonNode.DeepEquals(userBefore, await client.GetUserAsync(userId)), "the user changed");
        Assert.True(JsonNode.DeepEquals(groupBefore, await client.GetGroupAsync(groupId)), "the group changed");
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(groupId, memberId)));
        Assert.Equal(2, (await (await client.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await (await client.GetAsync("Groups")).ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
    }

    private const int ScimBodyLimit = 1024 * 1024;

    /// <summary>Null when the response is the expected 4xx with a full SCIM error body (R-ERR-1); otherwise what is wrong.</summary>
    private static async Task<string?> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        var shown = text.Length > 300 ? text[..300] + "…" : text;
        var code = (int)response.StatusCode;
        if (response.StatusCode != expected)
            return $"expected {(int)expected}, got {code}: {shown}";
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
            return $"{code} without a JSON object body: {shown}";
        if (ConformanceChecks.Strings(body["schemas"]) is not [ErrorSchema] || !ConformanceChecks.Strings(body["schema"]).Contains(ErrorSchema))
            return $"{code} without the Error schemas/schema: {shown}";
        if (body["status"] is not JsonValue status || status.GetValueKind() != JsonValueKind.String || status.GetValue<string>() != code.ToString())
            return $"{code} with status {body["status"]?.ToJsonString()}: {shown}";
        if (body["detail"] is not JsonValue detail || detail.GetValueKind() != JsonValueKind.String || detail.GetValue<string>().Length == 0)
            return $"{code} without a detail: {shown}";
        if (!response.Headers.TryGetValues("x-amzn-RequestId", out var ids) || body["exceptionRequestId"]?.GetValue<string>() != ids.Single())
            return $"{code} whose exceptionRequestId does not match x-amzn-RequestId: {shown}";
        if (code is 400 or 409 && string.IsNullOrEmpty(body["scimType"]?.GetValue<string>()))
            return $"{code} without a scimType: {shown}";
        return null;
    }

    /// <summary>A body sent with Transfer-Encoding: chunked (no Content-Length).</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
