using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>What happens to a principal's assignments when it is deleted (I-2).</summary>
public sealed class AccessAssignmentDeletionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task DeletingUserOrGroupDeletesItsAssignmentsUnderExternalIdp()
    {
        // Rule I-2: under ExternalIdp, deleting a user or group deletes its assignments.
        var tenant = await fixture.ScimTenantAsync();
        var scim = tenant.Scim!;
        var userId = await AccessFixture.ScimUserAsync(scim, AccessFixture.NewUserName());
        var keptUser = await AccessFixture.ScimUserAsync(scim, AccessFixture.NewUserName("kept"));
        var groupId = await scim.CreateGroupAsync();
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "app-crm", "User");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupId, "222222222222", "ReadOnly");
        await fixture.AssignAsync(tenant.TenantId, "User", keptUser, "111111111111", "Admin");

        await (await scim.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await scim.DeleteAsync($"Groups/{groupId}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(await fixture.AssignmentsAsync(tenant.TenantId, userId));
        Assert.Empty(await fixture.AssignmentsAsync(tenant.TenantId, groupId));
        Assert.Equal([$"{keptUser}:111111111111:Admin"], await fixture.AssignmentsAsync(tenant.TenantId));
    }

    [Fact]
    public async Task DeletingUserOrGroupDeletesItsAssignmentsUnderIdentityCenter()
    {
        // Rule I-2: under IdentityCenter, deleting a user or group (admin API, O-4) deletes its assignments.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userId = await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName());
        var keptUser = await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName("kept"));
        var groupId = await fixture.ManualGroupAsync(tenant.TenantId, "G-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupId, "222222222222", "ReadOnly");
        await fixture.AssignAsync(tenant.TenantId, "User", keptUser, "333333333333", "Admin");

        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/groups/{groupId}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(await fixture.AssignmentsAsync(tenant.TenantId, userId));
        Assert.Empty(await fixture.AssignmentsAsync(tenant.TenantId, groupId));
        Assert.Equal([$"{keptUser}:333333333333:Admin"], await fixture.AssignmentsAsync(tenant.TenantId));
    }

    [Fact]
    public async Task DeletingUserOrGroupKeepsItsAssignmentsUnderActiveDirectory()
    {
        // Rule I-2: under ActiveDirectory, deleting a user or group does not delete its assignments.
        var tenant = await fixture.ManualTenantAsync("activeDirectory");
        var userId = await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName());
        var groupId = await fixture.ManualGroupAsync(tenant.TenantId, "G-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupId, "222222222222", "ReadOnly");

        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/groups/{groupId}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal([$"{userId}:111111111111:Admin"], await fixture.AssignmentsAsync(tenant.TenantId, userId));
        Assert.Equal([$"{groupId}:222222222222:ReadOnly"], await fixture.AssignmentsAsync(tenant.TenantId, groupId));
    }

    [Fact]
    public async Task EachDirectoryDeletesByTheRuleOfItsOwnSourceAcrossSwitches()
    {
        // Rules I-2, I-1: the silo remembers each partition's deletion rule (DeletionRules); a switch
        // between IdentityCenter and ActiveDirectory wipes the directory, and the new one deletes by
        // its own source's rule, in both directions.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        foreach (var (switchTo, keepsAssignments) in new[] { ((string?)null, false), ("activeDirectory", true), ("identityCenter", false) })
        {
            if (switchTo is not null)
                await fixture.ChangeSourceAsync(tenant.TenantId, switchTo);
            var userId = await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName());
            await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");

            await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);

            Assert.Equal(keepsAssignments ? [$"{userId}:111111111111:Admin"] : [], await fixture.AssignmentsAsync(tenant.TenantId, userId));
        }
    }
}
