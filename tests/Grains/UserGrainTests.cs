using System.Text.Json.Nodes;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Store;
using static IdentityDirectory.Tests.Grains.GrainScim;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task UserIsCreatedReadReplacedPatchedAndDeleted()
    {
        var tenantId = NewTenantId();
        var id = NewId();
        var user = Grains.User(tenantId, id);
        var body = UniqueUser();
        var userName = body["userName"]!.GetValue<string>();

        var created = JsonNode.Parse((await user.CreateAsync(body.ToJsonString())).Utf8)!;
        Assert.Equal(id, created["id"]!.GetValue<string>());
        Assert.Equal(userName, created["userName"]!.GetValue<string>());
        Assert.Equal("User", created["meta"]!["resourceType"]!.GetValue<string>());

        var read = JsonNode.Parse((await user.GetAsync()).Utf8)!;
        Assert.Equal(id, read["id"]!.GetValue<string>());
        Assert.Equal("Ruth R", read["displayName"]!.GetValue<string>());

        var replacement = UniqueUser();
        replacement["displayName"] = "Ruth Replaced";
        var replaced = JsonNode.Parse((await user.ReplaceAsync(replacement.ToJsonString())).Utf8)!;
        Assert.Equal(id, replaced["id"]!.GetValue<string>()); // R-META-1: id is immutable
        Assert.Equal("Ruth Replaced", replaced["displayName"]!.GetValue<string>());
        Assert.Equal(replacement["userName"]!.GetValue<string>(), replaced["userName"]!.GetValue<string>());

        var patched = JsonNode.Parse((await user.PatchAsync(PatchBody(Op("replace", "displayName", "Ruth Patched")))).Utf8)!;
        Assert.Equal("Ruth Patched", patched["displayName"]!.GetValue<string>());
        Assert.Equal("Ruth Patched", JsonNode.Parse((await user.GetAsync()).Utf8)!["displayName"]!.GetValue<string>());

        await user.DeleteAsync();
        await ExpectScimErrorAsync(() => user.GetAsync(), 404);
        Assert.Null(await ReadUserRowAsync(tenantId, id));
    }

    [Fact]
    public async Task NoOpPatchKeepsLastModified_RMeta4()
    {
        var tenantId = NewTenantId();
        var id = await Grains.CreateUserAsync(tenantId);
        var user = Grains.User(tenantId, id);
        var before = JsonNode.Parse((await user.GetAsync()).Utf8)!;
        var rowBefore = await ReadUserRowAsync(tenantId, id);

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        // Rule R-META-4: setting a value to what it already is is no effective change.
        var noOp = JsonNode.Parse((await user.PatchAsync(PatchBody(Op("replace", "displayName", before["displayName"]!.GetValue<string>())))).Utf8)!;
        Assert.Equal(before["meta"]!["lastModified"]!.GetValue<string>(), noOp["meta"]!["lastModified"]!.GetValue<string>());
        Assert.Equal(rowBefore, await ReadUserRowAsync(tenantId, id));

        // Rule R-META-4: an effective change advances lastModified.
        var changed = JsonNode.Parse((await user.PatchAsync(PatchBody(Op("replace", "displayName", "Someone Else")))).Utf8)!;
        Assert.True(DateTimeOffset.Parse(changed["meta"]!["lastModified"]!.GetValue<string>())
            > DateTimeOffset.Parse(before["meta"]!["lastModified"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PatchFailingOnItsLastOperationChangesNothing_RPat2()
    {
        var tenantId = NewTenantId();
        var id = await Grains.CreateUserAsync(tenantId);
        var user = Grains.User(tenantId, id);
        var before = (await user.GetAsync()).ToString();
        var rowBefore = await ReadUserRowAsync(tenantId, id);
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        // Rule R-PAT-2: two valid operations, then one on a read-only attribute (R-PAT-9) → error, nothing applied.
        await ExpectScimErrorAsync(() => user.PatchAsync(PatchBody(
            Op("replace", "displayName", "Changed Name"),
            Op("replace", "title", "Changed Title"),
            Op("replace", "id", "another-id"))), 400);

        Assert.Equal(before, (await user.GetAsync()).ToString());
        Assert.Equal(rowBefore, await ReadUserRowAsync(tenantId, id));
    }

    [Fact]
    public async Task UserNameIsUniqueCaseInsensitively_RUsr8()
    {
        var tenantId = NewTenantId();
        await Grains.CreateUserAsync(tenantId, User("Alice.Case@x.com", email: "alice-1@x.com", externalId: "ext-a1"));

        // Rule R-USR-8: userName is caseExact=false; a second user grain with it in other case → 409 uniqueness.
        var secondId = NewId();
        var second = Grains.User(tenantId, secondId);
        await ExpectScimErrorAsync(() => second.CreateAsync(User("ALICE.CASE@X.COM", email: "alice-2@x.com", externalId: "ext-a2").ToJsonString()),
            409, ScimTypes.Uniqueness);
        await ExpectScimErrorAsync(() => second.GetAsync(), 404);
        Assert.Null(await ReadUserRowAsync(tenantId, secondId));

        // Rule R-PAT-13: renaming another user into the taken name is refused the same way.
        var thirdId = await Grains.CreateUserAsync(tenantId, User("carol@x.com", email: "carol@x.com", externalId: "ext-c"));
        await ExpectScimErrorAsync(() => Grains.User(tenantId, thirdId).PatchAsync(PatchBody(Op("replace", "userName", "alice.CASE@x.com"))),
            409, ScimTypes.Uniqueness);
        Assert.Equal("carol@x.com", JsonNode.Parse((await Grains.User(tenantId, thirdId).GetAsync()).Utf8)!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task UniqueKeysFollowPatchesThatChangeThem_RUsr8()
    {
        var tenantId = NewTenantId();
        var id = await Grains.CreateUserAsync(tenantId, User("dana@x.com", email: "dana@x.com", externalId: "ext-d"));
        var user = Grains.User(tenantId, id);

        // A PATCH that leaves userName, email and externalId alone writes the row without its key columns:
        // the keys must still be found and still be taken.
        await user.PatchAsync(PatchBody(Op("replace", "displayName", "Dana Renamed")));
        Assert.Equal([id], await UserIdsWhereAsync(tenantId, "userName eq \"dana@x.com\""));
        await ExpectScimErrorAsync(() => Grains.User(tenantId, NewId()).CreateAsync(
            User("dana@x.com", email: "other-d@x.com", externalId: "ext-other-d").ToJsonString()), 409, ScimTypes.Uniqueness);

        // Rule R-USR-8: once the PATCH moves the keys, the old values are free and the new ones taken.
        await user.PatchAsync(PatchBody(Op("replace", "userName", "dana.new@x.com"), Op("replace", "externalId", "ext-d2")));
        Assert.Equal([id], await UserIdsWhereAsync(tenantId, "userName eq \"dana.new@x.com\""));
        Assert.Empty(await UserIdsWhereAsync(tenantId, "userName eq \"dana@x.com\""));
        Assert.Equal([id], await UserIdsWhereAsync(tenantId, "externalId eq \"ext-d2\""));
        var newcomer = await Grains.CreateUserAsync(tenantId, User("dana@x.com", email: "newcomer@x.com", externalId: "ext-d"));
        Assert.Equal([newcomer], await UserIdsWhereAsync(tenantId, "userName eq \"dana@x.com\""));
        await ExpectScimErrorAsync(() => Grains.User(tenantId, NewId()).CreateAsync(
            User("DANA.NEW@x.com", email: "third-d@x.com", externalId: "ext-third-d").ToJsonString()), 409, ScimTypes.Uniqueness);
    }

    private async Task<string[]> UserIdsWhereAsync(string tenantId, string filter)
    {
        var list = JsonNode.Parse((await Grains.GetGrain<IDirectoryQueryGrain>(tenantId).ListUsersAsync(new ListQuery(filter, null, null, null))).Utf8)!;
        return list["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToArray();
    }

    [Fact]
    public async Task PrimaryEmailIsUniqueCaseInsensitively_P1()
    {
        var tenantId = NewTenantId();
        await Grains.CreateUserAsync(tenantId, User("bob-1@x.com", email: "Bob.Mail@X.com", externalId: "ext-b1"));

        // Rule P-1 (R-USR-8 [AWS]): the primary email, compared case-insensitively, is unique in the directory.
        var secondId = NewId();
        await ExpectScimErrorAsync(() => Grains.User(tenantId, secondId).CreateAsync(
            User("bob-2@x.com", email: "bob.mail@x.COM", externalId: "ext-b2").ToJsonString()), 409, ScimTypes.Uniqueness);
        Assert.Null(await ReadUserRowAsync(tenantId, secondId));
    }

    [Fact]
    public async Task DeletingUserRemovesItsMemberships_RGrp6()
    {
        var tenantId = NewTenantId();
        var userId = await Grains.CreateUserAsync(tenantId);
        var otherId = await Grains.CreateUserAsync(tenantId);
        var groupA = await Grains.CreateGroupAsync(tenantId);
        var groupB = await Grains.CreateGroupAsync(tenantId);
        await Grains.Group(tenantId, groupA).PatchAsync(PatchBody(Op("add", "members", Members([userId, otherId]))));
        await Grains.Group(tenantId, groupB).PatchAsync(PatchBody(Op("add", "members", Members([userId]))));
        Assert.Equal(2, await CountMembershipsAsync(tenantId, userId));

        await Grains.User(tenantId, userId).DeleteAsync();

        // Rule R-GRP-6: the user is gone from every group; the other member and the groups stay.
        Assert.Equal(0, await CountMembershipsAsync(tenantId, userId));
        var (totalA, idsA) = await Grains.MembersOfAsync(tenantId, groupA);
        Assert.Equal(1, totalA);
        Assert.Equal(new[] { otherId }, idsA);
        var (totalB, idsB) = await Grains.MembersOfAsync(tenantId, groupB);
        Assert.Equal(0, totalB);
        Assert.Empty(idsB);
        await Grains.Group(tenantId, groupB).GetAsync();
    }

    /// <summary>The user as the directory store holds it.</summary>
    private async Task<(long Version, DateTimeOffset Modified, string Resource)?> ReadUserRowAsync(string tenantId, string id) =>
        await fixture.Store.GetUserAsync(DirectoryPartition.First(tenantId), id) is { } stored
            ? (stored.Version, stored.LastModified, System.Text.Encoding.UTF8.GetString(stored.Json))
            : null;

    /// <summary>The groups the user is a member of, as the store counts them.</summary>
    private async Task<int?> CountMembershipsAsync(string tenantId, string userId) =>
        (await fixture.Store.QueryGroupsAsync(DirectoryPartition.First(tenantId), GroupsWhere($"members eq \"{userId}\""), new PageRequest(1, 1, false, 0))).Total;
}
