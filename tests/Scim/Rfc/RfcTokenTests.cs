using System.Net;
using System.Net.Http.Headers;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>
/// Conformance scenarios C-04 and C-82..C-86 of SCIM-RULES.md §13 (tokens and rate limits, tagged BOTH) on tenants
/// switched to the rfc profile: the profile changes the SCIM answers, never who may ask.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcTokenTests(GatewayFixture fixture)
{
    // Scenario C-82. Rule T-4, R-TOK-2: a third token → 409 until one is deleted.
    [Fact]
    public async Task C82_ThirdTokenIsRefusedUntilOneIsDeleted()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var admin = await AdminAsync();
        var second = await admin.CreateTokenAsync(tenant.TenantId);

        await (await admin.PostAsync($"/admin/tenants/{tenant.TenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await admin.DeleteTokenAsync(tenant.TenantId, second);
        var third = await admin.CreateTokenAsync(tenant.TenantId);

        using var scim = ScimHttp.ScimClient(tenant.Client.BaseAddress!.ToString(), third);
        await scim.GetRfcAsync("Users");
    }

    // Scenario C-83. Rule T-6, R-TOK-5: a deleted token → 401 at once; the other keeps working.
    [Fact]
    public async Task C83_DeletedTokenIs401AndTheOtherStillWorks()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var admin = await AdminAsync();
        var second = await admin.CreateTokenAsync(tenant.TenantId);
        using var other = ScimHttp.ScimClient(tenant.Client.BaseAddress!.ToString(), second);

        await admin.DeleteTokenAsync(tenant.TenantId, tenant.Token);

        await (await tenant.Client.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await other.GetRfcAsync("Users");
    }

    // Scenario C-84. Rule T-7, R-TOK-6: disabling provisioning is refused while tokens exist; afterwards SCIM → 401.
    [Fact]
    public async Task C84_DisablingIsRefusedWhileTokensExistThenScimIs401()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var admin = await AdminAsync();

        await (await admin.DeleteAsync($"/admin/tenants/{tenant.TenantId}/provisioning")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await admin.DeleteTokenAsync(tenant.TenantId, tenant.Token);
        await (await admin.DeleteAsync($"/admin/tenants/{tenant.TenantId}/provisioning")).ExpectAsync(HttpStatusCode.NoContent);

        await (await tenant.Client.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = fixture.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.OperatorKeyAsync());
        return admin;
    }
}

/// <summary>C-04 and C-85 move the clock by about a year, so they run on their own product instance.</summary>
public sealed class RfcTokenClockTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Scenario C-04. Rule R-TOK-3, T-5: a token created 366 days ago → 401.
    [Fact]
    public async Task C04_TokenCreated366DaysAgoIs401()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.GetRfcAsync("ServiceProviderConfig");

        fixture.Time.Advance(TimeSpan.FromDays(366));

        await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    // Scenario C-85. Rule T-8, R-TOK-4: the token view's cadence at 100 / 75 / 45 / 20 / 10 days remaining.
    [Fact]
    public async Task C85_CadenceAt100_75_45_20_10DaysRemaining()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var admin = fixture.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.OperatorKeyAsync());
        var created = fixture.Time.GetUtcNow();

        foreach (var (daysLeft, cadence) in new[] { (100, "none"), (75, "weekly"), (45, "twiceWeekly"), (20, "thriceWeekly"), (10, "daily") })
        {
            fixture.Time.SetUtcNow(created.AddDays(365 - daysLeft));
            var entry = AdminApi.TokenEntry(await admin.ListTokensAsync(tenant.TenantId), tenant.Token);
            Assert.Equal(daysLeft, entry["daysRemaining"]!.GetValue<int>());
            Assert.Equal(cadence, entry["reminderCadence"]!.GetValue<string>(), ignoreCase: true);
        }
        await tenant.Client.GetRfcAsync("Users"); // still valid: 10 days left
    }
}

/// <summary>C-86 needs the default read limit, which the shared product turns off.</summary>
public sealed class RfcThrottleTests(ThrottledGatewayFixture fixture) : IClassFixture<ThrottledGatewayFixture>
{
    // Scenario C-86. Rule R-GEN-7: 60 concurrent GETs at 40 reads per second → 429 with Retry-After, in the tenant's profile.
    [Fact]
    public async Task C86_ReadsBeyondTheTenantBudgetAre429WithRetryAfter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => tenant.Client.GetAsync("ServiceProviderConfig")));

        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        await throttled[0].ExpectRfcErrorAsync(HttpStatusCode.TooManyRequests);
    }
}
