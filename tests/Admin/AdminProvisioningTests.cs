using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Admin;

/// <summary>Automatic provisioning and SCIM tokens over the admin HTTP API (T-1, T-3, T-4, T-6, T-7).</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminProvisioningTests(AdminFixture fixture)
{
    [Fact]
    public async Task EnablingReturnsEndpointAndWorkingTokenOnce()
    {
        // Rule T-1: enabling returns {publicBase}/{tenantId}/scim/v2 and a first token, once only.
        var tenantId = (await fixture.Admin.CreateTenantAsync("ExternalIdp"))["tenantId"]!.GetValue<string>();

        var grant = await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.OK);

        var publicBase = fixture.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal($"{publicBase}/{tenantId}/scim/v2", grant["scimEndpoint"]!.GetValue<string>());
        var token = grant["token"]!.GetValue<string>();
        using var scim = ScimHttp.ScimClient(grant["scimEndpoint"]!.GetValue<string>(), token);
        await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        await scim.CreateUserAsync();
        var tenant = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(tenant["provisioningEnabled"]!.GetValue<bool>());

        // T-1 "once only": a second enable is refused and shows no new secret.
        var again = await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null);
        var problem = await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Null(problem["token"]);
        Assert.Single((await fixture.Admin.ListTokensAsync(tenantId))["tokens"]!.AsArray());
    }

    [Fact]
    public async Task EveryResponseThatCarriesASecretForbidsCaching()
    {
        // Rule T-2: the secret is shown once; no cache between the operator and the product may keep it.
        var tenantId = (await fixture.Admin.CreateTenantAsync("ExternalIdp"))["tenantId"]!.GetValue<string>();

        var enabled = await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null);
        var created = await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null);

        await enabled.ExpectAsync(HttpStatusCode.OK);
        await created.ExpectAsync(HttpStatusCode.OK);
        Assert.True(enabled.Headers.CacheControl?.NoStore);
        Assert.True(created.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("IdentityCenter")]
    [InlineData("ActiveDirectory")]
    public async Task EnablingOutsideExternalIdpIs409(string source)
    {
        // Rules T-3, I-9: enabling requires the ExternalIdp source.
        var tenantId = (await fixture.Admin.CreateTenantAsync(source))["tenantId"]!.GetValue<string>();

        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var tenant = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(tenant["provisioningEnabled"]!.GetValue<bool>());
        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TokenNeedsProvisioningAndAtMostTwoExist()
    {
        // Rule T-3: generating a token while provisioning is off → 409.
        var tenantId = (await fixture.Admin.CreateTenantAsync("ExternalIdp"))["tenantId"]!.GetValue<string>();
        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // Rule T-4 / C-82: at most two tokens; a third → 409 until one is deleted.
        var grant = await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.OK);
        var first = grant["token"]!.GetValue<string>();
        var second = await fixture.Admin.CreateTokenAsync(tenantId);
        Assert.NotEqual(AdminApi.TokenId(first), AdminApi.TokenId(second));

        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, (await fixture.Admin.ListTokensAsync(tenantId))["tokens"]!.AsArray().Count);

        await fixture.Admin.DeleteTokenAsync(tenantId, first);
        var third = await fixture.Admin.CreateTokenAsync(tenantId);

        var ids = (await fixture.Admin.ListTokensAsync(tenantId))["tokens"]!.AsArray().Select(t => t!["tokenId"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { AdminApi.TokenId(second), AdminApi.TokenId(third) }, ids);
        using var scim = ScimHttp.ScimClient(grant["scimEndpoint"]!.GetValue<string>(), third);
        await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeletingATokenRevokesItAtOnceAndTheOtherKeepsWorking()
    {
        // Rule T-6 / C-83 / R-TOK-5
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        using var scim1 = ScimHttp.ScimClient(endpoint, t1);
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);

        // The list tells the tokens apart: id, creation, expiry, last use (none yet), days left, cadence.
        var before = await fixture.Admin.ListTokensAsync(tenantId);
        var now = fixture.Time.GetUtcNow();
        foreach (var token in new[] { t1, t2 })
        {
            var entry = AdminApi.TokenEntry(before, token);
            Assert.Equal(now, entry["createdAt"]!.GetValue<DateTimeOffset>());
            Assert.Equal(now.AddDays(365), entry["expiresAt"]!.GetValue<DateTimeOffset>());
            Assert.Null(entry["lastUsedAt"]);
            Assert.Equal(365, entry["daysRemaining"]!.GetValue<int>());
            Assert.Equal("none", entry["reminderCadence"]!.GetValue<string>(), ignoreCase: true);
        }

        await (await scim1.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        var used = await fixture.Admin.ListTokensAsync(tenantId);
        Assert.Equal(now, AdminApi.TokenEntry(used, t1)["lastUsedAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(AdminApi.TokenEntry(used, t2)["lastUsedAt"]);

        // T-2: the list never shows a secret.
        foreach (var view in new[] { before, used })
        {
            var json = view.ToJsonString();
            Assert.DoesNotContain(AdminApi.Secret(t1), json);
            Assert.DoesNotContain(AdminApi.Secret(t2), json);
        }

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);

        await (await scim1.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await scim2.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        var after = await fixture.Admin.ListTokensAsync(tenantId);
        Assert.Equal(AdminApi.TokenId(t2), Assert.Single(after["tokens"]!.AsArray())!["tokenId"]!.GetValue<string>());
        Assert.NotNull(AdminApi.TokenEntry(after, t2)["lastUsedAt"]);
        Assert.DoesNotContain(AdminApi.Secret(t2), after.ToJsonString());

        // Deleting the same token again: it is gone.
        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}/tokens/{AdminApi.TokenId(t1)}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DisablingIsRefusedWhileTokensExist()
    {
        // Rule T-7 / C-84 / R-TOK-6
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);

        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}/provisioning")).ExpectProblemAsync(HttpStatusCode.Conflict);
        using var scim1 = ScimHttp.ScimClient(endpoint, t1);
        await (await scim1.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);
        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}/provisioning")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await fixture.Admin.DeleteTokenAsync(tenantId, t2);

        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}/provisioning")).ExpectAsync(HttpStatusCode.NoContent);

        var tenant = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(tenant["provisioningEnabled"]!.GetValue<bool>());
        foreach (var token in new[] { t1, t2 })
        {
            using var scim = ScimHttp.ScimClient(endpoint, token);
            await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        }
        // T-3: no token while provisioning is off.
        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }
}
