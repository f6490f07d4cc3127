using System.Text.Json.Nodes;
using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Queries;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Grains.GrainScim;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Grains;

/// <summary>The grains on two silos over the PostgreSQL directory store, wired as in cluster mode (<c>AddPostgresDirectoryStore</c>).</summary>
public sealed class PostgresDirectoryGrainTests(PostgresDirectoryClusterFixture fixture) : IClassFixture<PostgresDirectoryClusterFixture>
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AUserIsCreatedFoundPatchedAndDeletedWithItsMemberships()
    {
        // Rules R-CRUD-3, R-FLT-6, R-GRP-6.
        var tenantId = NewTenantId();
        var body = UniqueUser();
        var userId = await Grains.CreateUserAsync(tenantId, body);
        var groupId = await Grains.CreateGroupAsync(tenantId);
        await Grains.Group(tenantId, groupId).PatchAsync(PatchBody(Op("add", "members", Members([userId]))));

        await Grains.User(tenantId, userId).PatchAsync(PatchBody(Op("replace", "displayName", "Patched")));
        var found = JsonNode.Parse((await Grains.GetGrain<IDirectoryQueryGrain>(tenantId)
            .ListUsersAsync(new ListQuery($"userName eq \"{body["userName"]!.GetValue<string>().ToUpperInvariant()}\"", null, null, null))).Utf8)!;
        Assert.Equal("Patched", found["Resources"]![0]!["displayName"]!.GetValue<string>());
        Assert.Equal(1, (await Grains.MembersOfAsync(tenantId, groupId)).Total);

        await Grains.User(tenantId, userId).DeleteAsync();
        await ExpectScimErrorAsync(() => Grains.User(tenantId, userId).GetAsync(), 404);
        Assert.Equal(0, (await Grains.MembersOfAsync(tenantId, groupId)).Total);
    }

    [Fact]
    public async Task FiftyConcurrentCreatesOfOneUserNameLeaveOneUser()
    {
        // DESIGN §4 (concurrency), R-USR-8: through grains on two silos, exactly one 201, the rest 409.
        var tenantId = NewTenantId();
        var body = UniqueUser().ToJsonString();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await Grains.User(tenantId, NewId()).CreateAsync(body);
                return 201;
            }
            catch (IdentityDirectory.Scim.ScimException e)
            {
                return e.Status;
            }
        }));

        Assert.Equal(1, outcomes.Count(status => status == 201));
        Assert.All(outcomes.Where(status => status != 201), status => Assert.Equal(409, status));
    }

    [Fact]
    public async Task ConcurrentMemberAddsAllLandAndTheCountFollows()
    {
        // DESIGN §2, R-LST-4.
        var tenantId = NewTenantId();
        var groupId = await Grains.CreateGroupAsync(tenantId);
        var userIds = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Grains.CreateUserAsync(tenantId)));

        await Task.WhenAll(userIds.Select(id => Grains.Group(tenantId, groupId).PatchAsync(PatchBody(Op("add", "members", Members([id]))))));

        var (total, ids) = await Grains.MembersOfAsync(tenantId, groupId);
        Assert.Equal(30, total);
        Assert.Equal(userIds.Order(), ids.Order());
    }

    [Fact]
    public async Task AUsersAccessJoinsItsGroupsAssignmentsAndGoesWithIt()
    {
        // Rules S-5, I-2.
        var tenantId = NewTenantId();
        await Grains.GetGrain<IDirectoryGrain>(tenantId).CreateAsync(new TenantSpec("Cluster tenant", IdentitySource.IdentityCenter));
        var userId = await Grains.CreateUserAsync(tenantId);
        var groupId = await Grains.CreateGroupAsync(tenantId);
        await Grains.Group(tenantId, groupId).PatchAsync(PatchBody(Op("add", "members", Members([userId]))));
        var assignments = Grains.GetGrain<IAssignmentsGrain>(tenantId);
        await assignments.CreateAsync(new AssignmentRequest("User", userId, "111111111111", "Admin"));
        await assignments.CreateAsync(new AssignmentRequest("Group", groupId, "222222222222", "ReadOnly"));

        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly"],
            (await assignments.EffectiveAccessAsync(userId)).Select(grant => $"{grant.Target}:{grant.PermissionSet}"));

        await Grains.User(tenantId, userId).DeleteAsync();
        Assert.Equal([groupId], (await assignments.ListAsync(null, null, 0, 10)).Select(assignment => assignment.PrincipalId));
    }
}
