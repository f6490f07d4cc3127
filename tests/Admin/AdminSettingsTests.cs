using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

public sealed class AdminSettingsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Rule O-3: per-tenant settings with their defaults, validated.
    [Fact]
    public async Task SettingsHaveDefaultsAndAreValidated()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        var settings = await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenant.TenantId}/settings");
        Assert.Equal("aws", settings!["profile"]!.GetValue<string>());
        Assert.Equal("08:00:00", settings["sessionDuration"]!.GetValue<string>());
        Assert.Equal(200_000, settings["userQuota"]!.GetValue<int>());
        Assert.Equal(100_000, settings["groupQuota"]!.GetValue<int>());

        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { sessionDuration = "00:10:00" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { sessionDuration = "91.00:00:00" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { profile = "scim" })).ExpectAsync(HttpStatusCode.BadRequest);
        var changed = await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { sessionDuration = "12:00:00" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("12:00:00", changed["sessionDuration"]!.GetValue<string>());
        Assert.Equal(200_000, changed["userQuota"]!.GetValue<int>());
    }

    // Rules O-3, R-AWS-1: a create past the tenant's quota → 400 ServiceQuotaExceeded; deleting frees a place.
    [Fact]
    public async Task UserQuotaIsEnforcedPerTenant()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { userQuota = 2 })).ExpectAsync(HttpStatusCode.OK);

        var first = await tenant.Client.CreateUserAsync();
        await tenant.Client.CreateUserAsync();
        var refused = await (await tenant.Client.PostJsonAsync("Users", UniqueUser())).ExpectErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("ServiceQuotaExceeded", refused["detail"]!.GetValue<string>());

        await (await tenant.Client.DeleteAsync($"Users/{first}")).ExpectAsync(HttpStatusCode.NoContent);
        await tenant.Client.CreateUserAsync();
        var other = await fixture.CreateTenantAsync();
        await other.Client.CreateUserAsync(); // another tenant's quota is its own
    }

    // Rules O-3, I-6: the tenant's quota is the tenant's, not its directory's: after a change of identity
    // source wipes the directory, the new directory keeps the quota.
    [Fact]
    public async Task UserQuotaSurvivesADirectoryWipe()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { userQuota = 1 })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"tenants/{tenant.TenantId}/identity-source", new JsonObject { ["identitySource"] = "ActiveDirectory" }))
            .ExpectAsync(HttpStatusCode.OK);

        await (await admin.PostJsonAsync($"tenants/{tenant.TenantId}/users", UniqueUser())).ExpectAsync(HttpStatusCode.Created);
        var refused = await (await admin.PostJsonAsync($"tenants/{tenant.TenantId}/users", UniqueUser())).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("ServiceQuotaExceeded", refused["detail"]!.GetValue<string>());
    }

    // Rules O-3, R-GEN-7: the tenant's read rate applies within half a minute of the change.
    [Fact]
    public async Task TenantRateLimitApplies()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { readsPerSecond = 5 })).ExpectAsync(HttpStatusCode.OK);
        fixture.Time.Advance(TimeSpan.FromSeconds(31));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => tenant.Client.GetAsync("ServiceProviderConfig")));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    // Rules O-3, R-GEN-7: a changed rate limit reaches the gateways when it is saved, not half a minute later.
    [Fact]
    public async Task ChangedRateLimitAppliesToTheNextRequest()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        for (var i = 0; i < 3; i++)
            await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);

        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { readsPerSecond = 1 })).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.TooManyRequests);

        await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", new { readsPerSecond = 0 })).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
    }
}
