using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Grains.GrainScim;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class GroupGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task FiftyConcurrentMemberAddsAllLand()
    {
        var tenantId = NewTenantId();
        var groupId = await Grains.CreateGroupAsync(tenantId);
        var userIds = await CreateUsersAsync(tenantId, 50);

        // DESIGN §2 (GroupGrain serializes the group's writes): every concurrent membership change lands.
        var group = Grains.Group(tenantId, groupId);
        await Task.WhenAll(userIds.Select(id => group.PatchAsync(PatchBody(Op("add", "members", Members([id]))))));

        var (total, ids) = await Grains.MembersOfAsync(tenantId, groupId);
        Assert.Equal(50, total);
        Assert.Equal(userIds.Order(), ids.Order());
    }

    [Fact]
    public async Task AtMostOneHundredMembershipChangesPerPatch_RPat11()
    {
        var tenantId = NewTenantId();
        var groupId = await Grains.CreateGroupAsync(tenantId);
        var group = Grains.Group(tenantId, groupId);
        var userIds = await CreateUsersAsync(tenantId, 101);

        // Rule R-PAT-11 (R-AWS-2): 101 member values in one request → 400, and nothing is applied (R-PAT-2).
        await ExpectScimErrorAsync(() => group.PatchAsync(PatchBody(Op("add", "members", Members(userIds)))), 400);
        Assert.Equal(0, (await Grains.MembersOfAsync(tenantId, groupId)).Total);

        // Rule R-PAT-11: the limit counts member values across all operations of the request (60 + 41).
        await ExpectScimErrorAsync(() => group.PatchAsync(PatchBody(
            Op("add", "members", Members(userIds.Take(60))),
            Op("add", "members", Members(userIds.Skip(60))))), 400);
        Assert.Equal(0, (await Grains.MembersOfAsync(tenantId, groupId)).Total);

        // Rule R-PAT-11: exactly 100 changes are accepted.
        await group.PatchAsync(PatchBody(Op("add", "members", Members(userIds.Take(100)))));
        var (total, ids) = await Grains.MembersOfAsync(tenantId, groupId);
        Assert.Equal(100, total);
        Assert.Equal(userIds.Take(100).Order(), ids.Order());
    }

    [Fact]
    public async Task ReplacingOrRemovingAllMembersIsRefused_RPat11()
    {
        var tenantId = NewTenantId();
        var groupId = await Grains.CreateGroupAsync(tenantId);
        var group = Grains.Group(tenantId, groupId);
        var userIds = await CreateUsersAsync(tenantId, 2);
        await group.PatchAsync(PatchBody(Op("add", "members", Members(userIds))));

        // Rule R-PAT-11: replace on members, and remove of all members without value or filter → 400.
        await ExpectScimErrorAsync(() => group.PatchAsync(PatchBody(Op("replace", "members", Members(userIds.Take(1))))), 400);
        await ExpectScimErrorAsync(() => group.PatchAsync(PatchBody(Op("remove", "members"))), 400);
        await ExpectScimErrorAsync(() => group.PatchAsync(PatchBody(Op("replace", "members", Members([])))), 400);
        Assert.Equal(2, (await Grains.MembersOfAsync(tenantId, groupId)).Total);
    }

    private async Task<string[]> CreateUsersAsync(string tenantId, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Grains.CreateUserAsync(tenantId)));
}
