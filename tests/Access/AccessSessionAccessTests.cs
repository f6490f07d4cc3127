using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>What a session may reach (S-5).</summary>
public sealed class AccessSessionAccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task SessionAnswersTheAssignmentsOfTheUserAndItsGroups()
    {
        // Rule S-5: the assignments of the user and of its groups — and nobody else's.
        var tenant = await fixture.ScimTenantAsync();
        var scim = tenant.Scim!;
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(scim, userName);
        var otherId = await AccessFixture.ScimUserAsync(scim, AccessFixture.NewUserName("other"));
        var groupA = await scim.CreateGroupAsync();
        var groupB = await scim.CreateGroupAsync();
        var foreignGroup = await scim.CreateGroupAsync();
        await AccessFixture.ScimMemberAsync(scim, groupA, userId);
        await AccessFixture.ScimMemberAsync(scim, groupB, userId);
        await AccessFixture.ScimMemberAsync(scim, foreignGroup, otherId);

        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupA, "222222222222", "ReadOnly");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupB, "222222222222", "ReadOnly"); // same grant twice: one entry
        await fixture.AssignAsync(tenant.TenantId, "Group", groupB, "app-payroll", "User");
        await fixture.AssignAsync(tenant.TenantId, "User", otherId, "999999999999", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", foreignGroup, "888888888888", "Admin");

        string[] expected = ["111111111111:Admin", "222222222222:ReadOnly", "app-payroll:User"];
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "after sign-in");
        Assert.Equal(expected, session.Access);
        Assert.Equal(expected, await fixture.EffectiveAccessAsync(tenant.TenantId, userId));

        // A live user's session follows assignment changes.
        var extra = await fixture.AssignAsync(tenant.TenantId, "Group", groupA, "333333333333", "PowerUser");
        session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "after a new group assignment");
        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly", "333333333333:PowerUser", "app-payroll:User"], session.Access);
        await fixture.UnassignAsync(tenant.TenantId, extra);
        session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "after removing it");
        Assert.Equal(expected, session.Access);
    }

    [Fact]
    public async Task DeletedUsersSessionAnswersWhatTheUserHeldAtDeletion()
    {
        // Rule S-5: after deletion, until the window closes, the session answers with what the user held at deletion,
        // even when assignments change meanwhile.
        var tenant = await fixture.ScimTenantAsync();
        var scim = tenant.Scim!;
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(scim, userName);
        var group = await scim.CreateGroupAsync();
        await AccessFixture.ScimMemberAsync(scim, group, userId);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        var groupGrant = await fixture.AssignAsync(tenant.TenantId, "Group", group, "222222222222", "ReadOnly");
        string[] held = ["111111111111:Admin", "222222222222:ReadOnly"];

        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(held, (await fixture.SessionAsync(tenant.IdentityStoreId, sessionId)).Access);

        fixture.At(t0 + Hour);
        await (await scim.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "right after deletion");
        Assert.Equal(held, session.Access);

        // The group's assignments change after the deletion.
        await fixture.UnassignAsync(tenant.TenantId, groupGrant);
        await fixture.AssignAsync(tenant.TenantId, "Group", group, "444444444444", "Admin");

        fixture.At(t0 + 2 * Hour + TimeSpan.FromMinutes(59));
        session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "2h59m (deleted at 1 h)");
        Assert.Equal(held, session.Access);

        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "after the window");
        Assert.Empty(session.Access);
    }

    [Fact]
    public async Task SessionOfAUserRemovedByAWipeAnswersWhatItHeldAtTheChange()
    {
        // Rule S-5 with S-2 via an identity-source change (I-1): during the window the session still answers the
        // access held at the change; the new directory's assignments do not leak into it.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        var userId = await fixture.ManualUserAsync(tenant.TenantId, userName);
        var group = await fixture.ManualGroupAsync(tenant.TenantId, "G-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.ManualMemberAsync(tenant.TenantId, group, userId);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", group, "222222222222", "ReadOnly");
        string[] held = ["111111111111:Admin", "222222222222:ReadOnly"];
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        var newStoreId = (await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory"))["identityStoreId"]!.GetValue<string>();
        var newUser = await fixture.ManualUserAsync(tenant.TenantId, userName); // the same name again, in the new directory
        await fixture.AssignAsync(tenant.TenantId, "User", newUser, "555555555555", "Admin");

        fixture.At(t0 + Hour);
        var session = await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: true, "1 h after the wipe");
        Assert.Equal(held, session.Access);
    }
}
