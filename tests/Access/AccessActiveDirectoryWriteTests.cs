using System.Net;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Access;

public sealed class AccessActiveDirectoryWriteTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task WritesUnderActiveDirectoryAreAllowedAndNeverSyncedOutward()
    {
        // Rule I-7, P-5 (with O-4, O-5, I-9): under ActiveDirectory the operator's writes, which stand for the directory
        // sync, are allowed and take effect; nothing goes out because of them: the tenant has no SCIM endpoint through
        // which an identity provider could be kept in step, and it records no event, which is all the operator webhook sends.
        var tenant = await fixture.ManualTenantAsync("ActiveDirectory");
        var id = tenant.TenantId;
        var userId = await fixture.ManualUserAsync(id, AccessFixture.NewUserName("ad"));
        var renamed = AccessFixture.UserBody(AccessFixture.NewUserName("ad"));
        renamed["displayName"] = "Renamed In AD";
        await (await fixture.Admin.PutJsonAsync($"tenants/{id}/users/{userId}", renamed)).ExpectAsync(HttpStatusCode.OK);
        var groupId = await fixture.ManualGroupAsync(id, "AD Group");
        await fixture.ManualMemberAsync(id, groupId, userId);
        var assignmentId = await fixture.AssignAsync(id, "Group", groupId, "account-1", "ReadOnly");
        var leaverId = await fixture.ManualUserAsync(id, AccessFixture.NewUserName("leaver"));
        await (await fixture.Admin.DeleteAsync($"tenants/{id}/users/{leaverId}")).ExpectAsync(HttpStatusCode.NoContent);

        // The writes took effect, each audited as the operator's (O-5).
        Assert.Equal("Renamed In AD", (await fixture.UsersAsync(id)).Single()["displayName"]!.GetValue<string>());
        Assert.Equal([userId], await fixture.MemberIdsAsync(id, groupId));
        Assert.Equal(["account-1:ReadOnly"], await fixture.EffectiveAccessAsync(id, userId));
        var audit = (await (await fixture.Admin.GetAsync($"tenants/{id}/audit?count=100")).ExpectAsync(HttpStatusCode.OK))["entries"]!.AsArray();
        Assert.Contains(audit, entry => entry!["target"]!.GetValue<string>() == $"Assignment/{assignmentId}");
        Assert.All(audit, entry => Assert.Equal("operator", entry!["actor"]!.GetValue<string>()));

        // Nothing was synced outward (P-5): no SCIM endpoint to serve an IdP, and no event for the operator webhook.
        await (await fixture.Admin.PostAsync($"tenants/{id}/provisioning", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var events = (await (await fixture.Admin.GetAsync($"tenants/{id}/events")).ExpectAsync(HttpStatusCode.OK))["events"]!.AsArray();
        Assert.Empty(events);
        using var scim = ScimClient(new Uri(fixture.BaseAddress, $"{id}/scim/v2").ToString(), "any.token");
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }
}
