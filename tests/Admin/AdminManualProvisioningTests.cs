using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

public sealed class AdminManualProvisioningTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Rule O-4: with automatic provisioning off, the operator creates users, groups and memberships.
    [Fact]
    public async Task OperatorProvisionsUsersGroupsAndMembershipsWhileAutomaticProvisioningIsOff()
    {
        using var admin = await fixture.CreateAdminClientAsync();
        var tenant = await (await admin.PostAsJsonAsync("tenants", new { displayName = "Manual", identitySource = "IdentityCenter" }))
            .ExpectAsync(HttpStatusCode.Created);
        var tenantId = tenant["tenantId"]!.GetValue<string>();

        var user = await (await admin.PostJsonAsync($"tenants/{tenantId}/users", User("manual@x.com"))).ExpectAsync(HttpStatusCode.Created);
        var userId = user["id"]!.GetValue<string>();
        await (await admin.PostJsonAsync($"tenants/{tenantId}/users", User("MANUAL@x.com", externalId: "other"))).ExpectAsync(HttpStatusCode.Conflict);
        var group = await (await admin.PostJsonAsync($"tenants/{tenantId}/groups", new JsonObject { ["displayName"] = "Ops" }))
            .ExpectAsync(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<string>();
        await (await admin.PostAsJsonAsync($"tenants/{tenantId}/groups/{groupId}/members", new { userId })).ExpectAsync(HttpStatusCode.NoContent);

        var groupsOfUser = await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenantId}/groups?filter={Uri.EscapeDataString($"members eq \"{userId}\"")}");
        Assert.Equal(groupId, groupsOfUser!["Resources"]![0]!["id"]!.GetValue<string>());

        await (await admin.DeleteAsync($"tenants/{tenantId}/groups/{groupId}/members/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        var afterRemoval = await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenantId}/users?filter={Uri.EscapeDataString($"groups.value eq \"{groupId}\"")}");
        Assert.Empty(afterRemoval!["Resources"]!.AsArray());
        await (await admin.DeleteAsync($"tenants/{tenantId}/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
    }

    // Rule O-4, R-AWS-3: while automatic provisioning is on, the IdP is the source; manual writes are 409.
    [Fact]
    public async Task ManualWritesAreRefusedWhileAutomaticProvisioningIsOn()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        var scimUser = await tenant.Client.CreateUserAsync();

        await (await admin.PostJsonAsync($"tenants/{tenant.TenantId}/users", UniqueUser())).ExpectAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync($"tenants/{tenant.TenantId}/groups", new JsonObject { ["displayName"] = "X" })).ExpectAsync(HttpStatusCode.Conflict);
        await (await admin.DeleteAsync($"tenants/{tenant.TenantId}/users/{scimUser}")).ExpectAsync(HttpStatusCode.Conflict);
        await (await tenant.Client.GetAsync($"Users/{scimUser}")).ExpectAsync(HttpStatusCode.OK);
    }

    // Rule O-4: the check and the write are one call of the directory, so no manual write lands once
    // automatic provisioning is on, however the two race.
    [Fact]
    public async Task NoManualWriteLandsAfterAutomaticProvisioningIsEnabled()
    {
        using var admin = await fixture.CreateAdminClientAsync();
        var tenantId = (await admin.CreateTenantAsync())["tenantId"]!.GetValue<string>();

        var creates = Enumerable.Range(0, 40).Select(_ => admin.PostJsonAsync($"tenants/{tenantId}/users", UniqueUser())).ToList();
        var enable = admin.PostAsync($"tenants/{tenantId}/provisioning", null);
        var answers = await Task.WhenAll(creates);
        await (await enable).ExpectAsync(HttpStatusCode.OK);

        Assert.All(answers, answer => Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var audit = (await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenantId}/audit?count=100"))!["entries"]!.AsArray()
            .Select(entry => entry!["action"]!.GetValue<string>()).ToList();
        var enabledAt = audit.IndexOf("EnableProvisioning");
        Assert.True(enabledAt >= 0);
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.Created), audit.Count(action => action == "CreateUser"));
        Assert.DoesNotContain("CreateUser", audit.Skip(enabledAt));
    }
}
