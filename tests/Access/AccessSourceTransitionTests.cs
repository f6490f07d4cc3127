using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>
/// The identity-source transitions (I-1, I-3..I-6, I-9, I-10, S-4), one test each. Every test builds the same
/// directory — users alice and bob, group G holding alice, an assignment of alice and one of G, a live session
/// of alice — switches the source one hour later and checks what is left, the portal, provisioning, the
/// session and the password-reset flags.
/// </summary>
public sealed class AccessSourceTransitionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private sealed record Population(string AliceName, string AliceId, string BobName, string BobId, string GroupId, string SessionId, DateTimeOffset T0);

    private async Task<Population> PopulateAsync(AccessTenant tenant)
    {
        var aliceName = AccessFixture.NewUserName("alice");
        var bobName = AccessFixture.NewUserName("bob");
        var groupName = "G-" + Guid.NewGuid().ToString("N")[..8];
        string aliceId, bobId, groupId;
        if (tenant.Scim is { } scim)
        {
            aliceId = await AccessFixture.ScimUserAsync(scim, aliceName);
            bobId = await AccessFixture.ScimUserAsync(scim, bobName);
            groupId = await scim.CreateGroupAsync(groupName);
            await AccessFixture.ScimMemberAsync(scim, groupId, aliceId);
        }
        else
        {
            aliceId = await fixture.ManualUserAsync(tenant.TenantId, aliceName);
            bobId = await fixture.ManualUserAsync(tenant.TenantId, bobName);
            groupId = await fixture.ManualGroupAsync(tenant.TenantId, groupName);
            await fixture.ManualMemberAsync(tenant.TenantId, groupId, aliceId);
        }
        await fixture.AssignAsync(tenant.TenantId, "User", aliceId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupId, "222222222222", "ReadOnly");
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, aliceName);
        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly"], (await fixture.SessionAsync(tenant.IdentityStoreId, sessionId)).Access);
        fixture.At(t0 + Hour);
        return new Population(aliceName, aliceId, bobName, bobId, groupId, sessionId, t0);
    }

    // ---------- what is left ----------

    /// <summary>Rule I-3, I-4, I-5: users, groups, memberships and assignments are all kept, under the same ids.</summary>
    private async Task AssertKeptAsync(string tenantId, Population p)
    {
        var users = await fixture.UsersAsync(tenantId);
        Assert.Equal(new[] { p.AliceId, p.BobId }.Order().ToList(), users.Select(u => u["id"]!.GetValue<string>()).Order().ToList());
        Assert.Equal(p.AliceName, (await fixture.UsersAsync(tenantId, $"userName eq \"{p.AliceName}\"")).Single()["userName"]!.GetValue<string>());
        Assert.Equal([p.GroupId], (await fixture.GroupsAsync(tenantId)).Select(g => g["id"]!.GetValue<string>()).ToList());
        Assert.Equal([p.AliceId], await fixture.MemberIdsAsync(tenantId, p.GroupId));
        Assert.Equal(new[] { $"{p.AliceId}:111111111111:Admin", $"{p.GroupId}:222222222222:ReadOnly" }.Order().ToList(),
            await fixture.AssignmentsAsync(tenantId));
        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly"], await fixture.EffectiveAccessAsync(tenantId, p.AliceId));
    }

    /// <summary>Rule I-1, I-6, I-8: no user, group or assignment is left, at once.</summary>
    private async Task AssertWipedAsync(string tenantId, Population p)
    {
        Assert.Empty(await fixture.UsersAsync(tenantId));
        Assert.Empty(await fixture.UsersAsync(tenantId, $"userName eq \"{p.AliceName}\""));
        Assert.Empty(await fixture.GroupsAsync(tenantId));
        Assert.Empty(await fixture.AssignmentsAsync(tenantId));
        Assert.Empty(await fixture.EffectiveAccessAsync(tenantId, p.AliceId));
    }

    // ---------- sessions ----------

    /// <summary>Rule S-4 (keeping change): the session runs to its own end, 8 h after sign-in.</summary>
    private async Task AssertSessionRunsToItsEndAsync(string storeId, Population p)
    {
        fixture.At(p.T0 + 8 * Hour - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(storeId, p.SessionId, valid: true, "1 s before 8 h (keeping change at 1 h)");
        fixture.At(p.T0 + 8 * Hour);
        await fixture.ExpectSessionAsync(storeId, p.SessionId, valid: false, "8 h (keeping change at 1 h)");
    }

    /// <summary>Rule S-4 (wiping change), S-2: the session ends two hours after the change (made at hour 1).</summary>
    private async Task AssertSessionEndsTwoHoursAfterTheChangeAsync(string storeId, Population p)
    {
        fixture.At(p.T0 + 3 * Hour - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(storeId, p.SessionId, valid: true, "1 s before change + 2 h");
        fixture.At(p.T0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(storeId, p.SessionId, valid: false, "1 s after change + 2 h");
    }

    // ---------- provisioning (I-9) ----------

    /// <summary>Rule I-9: switched away from ExternalIdp — provisioning off, tokens deleted, the old token gets 401.</summary>
    private async Task AssertProvisioningEndedAsync(AccessTenant tenant, JsonObject info)
    {
        Assert.False(info["provisioningEnabled"]!.GetValue<bool>());
        Assert.Empty(info["tokenIds"]!.AsArray());
        Assert.Empty((await (await fixture.Admin.GetAsync($"tenants/{tenant.TenantId}/tokens")).ExpectAsync(HttpStatusCode.OK))["tokens"]!.AsArray());
        await (await tenant.Scim!.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await fixture.Admin.PostAsync($"tenants/{tenant.TenantId}/tokens", null)).ExpectAsync(HttpStatusCode.Conflict);
    }

    /// <summary>Rule I-9: switched to ExternalIdp — provisioning stays off until the operator enables it; then its token serves the live directory.</summary>
    private async Task<HttpClient> AssertProvisioningOffThenEnableAsync(string tenantId, JsonObject info)
    {
        Assert.False(info["provisioningEnabled"]!.GetValue<bool>());
        Assert.Empty(info["tokenIds"]!.AsArray());
        await (await fixture.Admin.PostAsync($"tenants/{tenantId}/tokens", null)).ExpectAsync(HttpStatusCode.Conflict);
        var grant = await (await fixture.Admin.PostAsync($"tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.True((await fixture.TenantAsync(tenantId))["provisioningEnabled"]!.GetValue<bool>());
        return ScimHttp.ScimClient(grant["scimEndpoint"]!.GetValue<string>(), grant["token"]!.GetValue<string>());
    }

    /// <summary>Rule I-9: neither IdentityCenter nor ActiveDirectory has provisioning; it cannot be enabled there.</summary>
    private async Task AssertNoProvisioningAsync(string tenantId, JsonObject info)
    {
        Assert.False(info["provisioningEnabled"]!.GetValue<bool>());
        Assert.Empty(info["tokenIds"]!.AsArray());
        await (await fixture.Admin.PostAsync($"tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.Conflict);
    }

    private static async Task<List<string>> ScimUserNamesAsync(HttpClient scim)
    {
        var list = await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        return (list["Resources"]?.AsArray() ?? []).Select(u => u!["userName"]!.GetValue<string>()).Order().ToList();
    }

    // ---------- the transitions ----------

    [Fact]
    public async Task IdentityCenterToActiveDirectoryWipesAndMovesThePortal()
    {
        // Rule I-1, I-10, I-9, S-4, I-4.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        var newStoreId = info["identityStoreId"]!.GetValue<string>();
        Assert.NotEqual(tenant.IdentityStoreId, newStoreId); // I-1
        Assert.Equal(newStoreId, (await fixture.TenantAsync(tenant.TenantId))["identityStoreId"]!.GetValue<string>());
        await AssertWipedAsync(tenant.TenantId, p);

        // I-10: the old portal URL answers 404; the new one serves the tenant.
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.NotFound);
        await (await fixture.SessionRequestAsync(tenant.IdentityStoreId, p.SessionId)).ExpectAsync(HttpStatusCode.NotFound);
        await (await fixture.SignInRequestAsync(newStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.Forbidden); // S-2: gone
        var carolName = AccessFixture.NewUserName("carol");
        var carolId = await fixture.ManualUserAsync(tenant.TenantId, carolName);
        await fixture.SignInAsync(newStoreId, carolName);
        await AssertNoProvisioningAsync(tenant.TenantId, info);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, carolId)); // I-4 applies only to ExternalIdp → IdentityCenter

        await AssertSessionEndsTwoHoursAfterTheChangeAsync(newStoreId, p);
    }

    [Fact]
    public async Task ActiveDirectoryToIdentityCenterWipesAndMovesThePortal()
    {
        // Rule I-1, I-10, I-9, S-4, I-4.
        var tenant = await fixture.ManualTenantAsync("activeDirectory");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "identityCenter");
        var newStoreId = info["identityStoreId"]!.GetValue<string>();
        Assert.NotEqual(tenant.IdentityStoreId, newStoreId); // I-1
        await AssertWipedAsync(tenant.TenantId, p);

        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.NotFound);
        await (await fixture.SessionRequestAsync(tenant.IdentityStoreId, p.SessionId)).ExpectAsync(HttpStatusCode.NotFound);
        await (await fixture.SignInRequestAsync(newStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.Forbidden);
        var carolName = AccessFixture.NewUserName("carol");
        var carolId = await fixture.ManualUserAsync(tenant.TenantId, carolName);
        await fixture.SignInAsync(newStoreId, carolName);
        await AssertNoProvisioningAsync(tenant.TenantId, info);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, carolId));

        await AssertSessionEndsTwoHoursAfterTheChangeAsync(newStoreId, p);
    }

    [Fact]
    public async Task IdentityCenterToExternalIdpKeepsEverything()
    {
        // Rule I-3, I-9, S-4, I-4.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Okta");
        Assert.Equal(tenant.IdentityStoreId, info["identityStoreId"]!.GetValue<string>());
        await AssertKeptAsync(tenant.TenantId, p);

        // I-3: users keep working when their sign-in name matches a userName; same portal.
        await fixture.SignInAsync(tenant.IdentityStoreId, p.BobName);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, p.AliceId));
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, p.BobId));

        // I-9: provisioning off until enabled; then the IdP's token sees the kept users.
        var scim = await AssertProvisioningOffThenEnableAsync(tenant.TenantId, info);
        Assert.Equal(new[] { p.AliceName, p.BobName }.Order().ToList(), await ScimUserNamesAsync(scim));

        await AssertSessionRunsToItsEndAsync(tenant.IdentityStoreId, p);
    }

    [Fact]
    public async Task ExternalIdpToIdentityCenterKeepsEverythingFlagsResetsAndDeletesTokens()
    {
        // Rule I-4, I-9, S-4.
        var tenant = await fixture.ScimTenantAsync();
        var secondToken = await fixture.Admin.PostAsync($"tenants/{tenant.TenantId}/tokens", null);
        await secondToken.ExpectAsync(HttpStatusCode.OK);
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "identityCenter");
        Assert.Equal(tenant.IdentityStoreId, info["identityStoreId"]!.GetValue<string>());
        await AssertKeptAsync(tenant.TenantId, p);
        await fixture.SignInAsync(tenant.IdentityStoreId, p.BobName);

        // I-4: users who never had a directory password (all of them came from the IdP) need a forced reset.
        Assert.True(await fixture.ResetRequiredAsync(tenant.TenantId, p.AliceId));
        Assert.True(await fixture.ResetRequiredAsync(tenant.TenantId, p.BobId));

        // I-9: provisioning off, both tokens deleted; the operator now provisions by hand (O-4).
        await AssertProvisioningEndedAsync(tenant, info);
        await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName("manual"));

        await AssertSessionRunsToItsEndAsync(tenant.IdentityStoreId, p);
    }

    [Fact]
    public async Task ExternalIdpToAnotherExternalIdpKeepsEverything()
    {
        // Rule I-5, S-4, I-9, I-4.
        var tenant = await fixture.ScimTenantAsync("Okta");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Entra ID");
        Assert.Equal(tenant.IdentityStoreId, info["identityStoreId"]!.GetValue<string>());
        await AssertKeptAsync(tenant.TenantId, p);
        await fixture.SignInAsync(tenant.IdentityStoreId, p.BobName);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, p.AliceId));

        // I-9 (provisioning belongs to the ExternalIdp source): whatever the tenant reports is what SCIM does.
        var users = await tenant.Scim!.GetAsync("Users");
        if (info["provisioningEnabled"]!.GetValue<bool>())
        {
            Assert.Single(info["tokenIds"]!.AsArray());
            Assert.Equal(new[] { p.AliceName, p.BobName }.Order().ToList(), await ScimUserNamesAsync(tenant.Scim!));
        }
        else
        {
            Assert.Empty(info["tokenIds"]!.AsArray());
            await users.ExpectErrorAsync(HttpStatusCode.Unauthorized);
        }

        await AssertSessionRunsToItsEndAsync(tenant.IdentityStoreId, p);
    }

    [Fact]
    public async Task ExternalIdpToActiveDirectoryWipesAndKeepsTheStoreId()
    {
        // Rule I-6, I-9, S-4, I-10.
        var tenant = await fixture.ScimTenantAsync();
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        Assert.Equal(tenant.IdentityStoreId, info["identityStoreId"]!.GetValue<string>()); // only I-1 changes it
        await AssertWipedAsync(tenant.TenantId, p);
        await AssertProvisioningEndedAsync(tenant, info);

        // Same portal, new directory.
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.Forbidden);
        var carolName = AccessFixture.NewUserName("carol");
        var carolId = await fixture.ManualUserAsync(tenant.TenantId, carolName);
        await fixture.SignInAsync(tenant.IdentityStoreId, carolName);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, carolId));
        await AssertNoProvisioningAsync(tenant.TenantId, info);

        await AssertSessionEndsTwoHoursAfterTheChangeAsync(tenant.IdentityStoreId, p);
    }

    [Fact]
    public async Task ActiveDirectoryToExternalIdpWipesAndKeepsTheStoreId()
    {
        // Rule I-6, I-9, S-4, I-10.
        var tenant = await fixture.ManualTenantAsync("activeDirectory");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Okta");
        Assert.Equal(tenant.IdentityStoreId, info["identityStoreId"]!.GetValue<string>());
        await AssertWipedAsync(tenant.TenantId, p);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, p.AliceName)).ExpectAsync(HttpStatusCode.Forbidden);

        // I-9: provisioning off until enabled; the IdP then fills the new, empty directory.
        var scim = await AssertProvisioningOffThenEnableAsync(tenant.TenantId, info);
        Assert.Empty(await ScimUserNamesAsync(scim));
        var carolName = AccessFixture.NewUserName("carol");
        var carolId = await AccessFixture.ScimUserAsync(scim, carolName);
        await fixture.SignInAsync(tenant.IdentityStoreId, carolName);
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, carolId));

        await AssertSessionEndsTwoHoursAfterTheChangeAsync(tenant.IdentityStoreId, p);
    }

    [Fact]
    public async Task RollbackFromExternalIdpToIdentityCenterKeepsEverything()
    {
        // Rule I-3 (rollback is possible), I-4: IdentityCenter → ExternalIdp → IdentityCenter keeps users, groups,
        // memberships, assignments and sessions, including a user the IdP provisioned meanwhile, who never had a
        // directory password and is flagged for an admin-forced reset.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var p = await PopulateAsync(tenant);

        var info = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Okta");
        var scim = await AssertProvisioningOffThenEnableAsync(tenant.TenantId, info);
        var daveName = AccessFixture.NewUserName("dave");
        var daveId = await AccessFixture.ScimUserAsync(scim, daveName);

        var back = await fixture.ChangeSourceAsync(tenant.TenantId, "identityCenter");
        Assert.Equal(tenant.IdentityStoreId, back["identityStoreId"]!.GetValue<string>());
        Assert.False(back["provisioningEnabled"]!.GetValue<bool>());
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(new[] { p.AliceId, p.BobId, daveId }.Order().ToList(),
            (await fixture.UsersAsync(tenant.TenantId)).Select(u => u["id"]!.GetValue<string>()).Order().ToList());
        Assert.Equal([p.AliceId], await fixture.MemberIdsAsync(tenant.TenantId, p.GroupId));
        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly"], await fixture.EffectiveAccessAsync(tenant.TenantId, p.AliceId));
        await fixture.SignInAsync(tenant.IdentityStoreId, daveName);
        Assert.True(await fixture.ResetRequiredAsync(tenant.TenantId, daveId));
        await AssertSessionRunsToItsEndAsync(tenant.IdentityStoreId, p);
    }
}
