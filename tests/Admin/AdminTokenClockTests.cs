using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Tests.Admin;

/// <summary>
/// Token rules that need the clock moved by months (T-4, T-5, T-8 cadence, T-9, T-10). Each test works
/// relative to the instant its tokens were created, on this class's own product instance.
/// </summary>
public sealed class AdminTokenClockTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task TokenIsValidAt365DaysAnd401OneSecondLater()
    {
        // Rule T-5 / R-TOK-3: valid for one year from creation.
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimHttp.ScimClient(endpoint, token);
        using var recorded = new RecordedMeasurements(fixture.Services.GetRequiredService<IMeterFactory>());

        fixture.Time.Advance(TimeSpan.FromDays(365));
        await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await scim.PostJsonAsync("Users", ScimHttp.UniqueUser())).ExpectErrorAsync(HttpStatusCode.Unauthorized);

        // The client learns nothing of why; the operator's metrics say the tenant's token expired.
        var expired = recorded.Of("identity_directory.scim_token.expired_presented").Where(m => m.Tag("tenant.id") == tenantId);
        Assert.Equal(2, expired.Sum(m => m.Value));
    }

    [Fact]
    public async Task ExpiredTokensCountTowardsTheLimitOfTwo()
    {
        // Rule T-4 / R-TOK-2: expired ones count.
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        fixture.Time.Advance(TimeSpan.FromDays(366));

        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);
        var t3 = await fixture.Admin.CreateTokenAsync(tenantId);
        using var scim3 = ScimHttp.ScimClient(endpoint, t3);
        await (await scim3.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);
        await (await scim2.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CadenceAt100_75_45_20_10DaysRemaining()
    {
        // Rule C-85 / T-8 / R-TOK-4. The API writes enum names (JsonStringEnumConverter, no naming
        // policy: "TwiceWeekly"); R-TOK-4 spells them camelCase, so the name is compared ignoring case.
        var (tenantId, _, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var created = fixture.Time.GetUtcNow();

        foreach (var (daysLeft, cadence) in new[] { (100, "none"), (75, "weekly"), (45, "twiceWeekly"), (20, "thriceWeekly"), (10, "daily") })
        {
            fixture.Time.SetUtcNow(created.AddDays(365 - daysLeft));
            var entry = AdminApi.TokenEntry(await fixture.Admin.ListTokensAsync(tenantId), token);
            Assert.Equal(daysLeft, entry["daysRemaining"]!.GetValue<int>());
            Assert.Equal(created.AddDays(365), entry["expiresAt"]!.GetValue<DateTimeOffset>());
            Assert.True(string.Equals(cadence, entry["reminderCadence"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase),
                $"{daysLeft} days left: expected {cadence}, got {entry["reminderCadence"]}");
        }
    }

    [Fact]
    public async Task CadenceBandBoundaries()
    {
        // Rule T-8: weekly while 60 < d ≤ 90, twice a week while 30 < d ≤ 60, three times while 15 < d ≤ 30, daily while 0 < d ≤ 15.
        var (tenantId, _, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var expires = fixture.Time.GetUtcNow().AddDays(365);
        var oneHour = TimeSpan.FromHours(1);

        var checks = new (TimeSpan Left, string Cadence)[]
        {
            (TimeSpan.FromDays(90) + oneHour, "none"),
            (TimeSpan.FromDays(90), "weekly"),
            (TimeSpan.FromDays(60) + oneHour, "weekly"),
            (TimeSpan.FromDays(60), "twiceWeekly"),
            (TimeSpan.FromDays(30) + oneHour, "twiceWeekly"),
            (TimeSpan.FromDays(30), "thriceWeekly"),
            (TimeSpan.FromDays(15) + oneHour, "thriceWeekly"),
            (TimeSpan.FromDays(15), "daily"),
            (TimeSpan.FromHours(1), "daily"),
        };
        foreach (var (left, cadence) in checks)
        {
            fixture.Time.SetUtcNow(expires - left);
            var entry = AdminApi.TokenEntry(await fixture.Admin.ListTokensAsync(tenantId), token);
            Assert.True(string.Equals(cadence, entry["reminderCadence"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase),
                $"{left} left: expected {cadence}, got {entry["reminderCadence"]}");
        }
    }

    [Fact]
    public async Task ReminderClearsAfterRotationWithTheNewTokenUsed()
    {
        // Rule T-9 / R-TOK-4: the reminder persists until the expiring token is rotated and no unused or expired token is left.
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var created = fixture.Time.GetUtcNow();
        Assert.False((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        fixture.Time.SetUtcNow(created.AddDays(365 - 80));
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);
        await (await scim2.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);

        Assert.False((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ReminderStaysWhileTheNewTokenWasNeverUsed()
    {
        // Rule T-9: an unused token left after rotation keeps the reminder.
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var created = fixture.Time.GetUtcNow();
        Assert.False((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        fixture.Time.SetUtcNow(created.AddDays(365 - 80));
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        await fixture.Admin.DeleteTokenAsync(tenantId, t1);

        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
        fixture.Time.Advance(TimeSpan.FromDays(30));
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        // Once the new token is in use, rotation is complete.
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);
        await (await scim2.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        Assert.False((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ReminderStaysWhileAnExpiredTokenIsKept()
    {
        // Rule T-9: "every unused or expired token has been deleted".
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var created = fixture.Time.GetUtcNow();
        fixture.Time.SetUtcNow(created.AddDays(365 - 80));
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);
        await (await scim2.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        fixture.Time.SetUtcNow(created.AddDays(366));
        await (await scim2.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        Assert.True((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);
        Assert.False((await fixture.Admin.ListTokensAsync(tenantId))["reminder"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every401IsTheSameWhateverTheCause()
    {
        // Rule T-10 / R-GEN-2: no hint of which case it was.
        var (tenantA, endpointA, tokenA) = await fixture.Admin.CreateProvisionedTenantAsync();
        var (tenantB, endpointB, tokenB) = await fixture.Admin.CreateProvisionedTenantAsync();
        var (_, endpointC, tokenC) = await fixture.Admin.CreateProvisionedTenantAsync();
        var deleted = await fixture.Admin.CreateTokenAsync(tenantB);
        await fixture.Admin.DeleteTokenAsync(tenantB, deleted);
        var publicBase = fixture.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal($"{publicBase}/{tenantB}/scim/v2", endpointB);
        Assert.NotEqual(tenantA, tenantB);

        var cases = new List<(string Case, string Url, string? Authorization)>
        {
            ("token of tenant A on tenant B", $"{endpointB}/Users", "Bearer " + tokenA),
            ("random string", $"{endpointB}/Users", "Bearer " + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")),
            ("right id, wrong secret", $"{endpointB}/Users", $"Bearer {AdminApi.TokenId(tokenB)}.{AdminApi.Secret(tokenA)}"),
            ("deleted token", $"{endpointB}/Users", "Bearer " + deleted),
            ("no Authorization header", $"{endpointB}/Users", null),
            ("Bearer without token", $"{endpointB}/Users", "Bearer"),
            ("Basic scheme", $"{endpointB}/Users", "Basic " + Convert.ToBase64String("user:pass"u8.ToArray())),
            ("token without scheme", $"{endpointB}/Users", tokenB),
            ("malformed token", $"{endpointB}/Users", "Bearer ....not a token...."),
            ("unknown tenant id", $"{publicBase}/{Guid.NewGuid()}/scim/v2/Users", "Bearer " + tokenA),
            ("unknown tenant id, no token", $"{publicBase}/{Guid.NewGuid()}/scim/v2/Users", null),
            ("tenant id not a UUID", $"{publicBase}/not-a-tenant/scim/v2/Users", "Bearer " + tokenA),
        };

        using var client = fixture.CreateClient();
        var answers = new List<(string Case, string Body, string? ContentType, string WwwAuthenticate)>();
        foreach (var (name, url, authorization) in cases)
            answers.Add(await UnauthorizedAsync(client, name, url, authorization));

        // The other tokens still work, so the cases above are failures of the credential alone.
        using var scimA = ScimHttp.ScimClient(endpointA, tokenA);
        await (await scimA.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        using var scimB = ScimHttp.ScimClient(endpointB, tokenB);
        await (await scimB.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        // Expired token (T-5): tenant C's own token a year and a day later.
        fixture.Time.Advance(TimeSpan.FromDays(366));
        answers.Add(await UnauthorizedAsync(client, "expired token", $"{endpointC}/Users", "Bearer " + tokenC));

        var reference = answers[0];
        foreach (var answer in answers.Skip(1))
        {
            Assert.True(reference.Body == answer.Body, $"'{answer.Case}' answered {answer.Body}, '{reference.Case}' answered {reference.Body}");
            Assert.True(reference.ContentType == answer.ContentType, $"'{answer.Case}': content type {answer.ContentType} vs {reference.ContentType}");
            Assert.True(reference.WwwAuthenticate == answer.WwwAuthenticate, $"'{answer.Case}': WWW-Authenticate '{answer.WwwAuthenticate}' vs '{reference.WwwAuthenticate}'");
        }
    }

    /// <summary>The 401 body with exceptionRequestId and timeStamp removed (both must be present).</summary>
    private static async Task<(string Case, string Body, string? ContentType, string WwwAuthenticate)> UnauthorizedAsync(
        HttpClient client, string name, string url, string? authorization)
    {
        var response = await client.SendAsync(AdminApi.Request(HttpMethod.Get, url, authorization));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"'{name}': expected 401, got {(int)response.StatusCode}: {text}");
        var body = (JsonObject)JsonNode.Parse(text)!;
        Assert.Equal(ScimHttp.ErrorSchema, body["schemas"]![0]!.GetValue<string>());
        Assert.True(body.Remove("exceptionRequestId"), $"'{name}': no exceptionRequestId");
        Assert.True(body.Remove("timeStamp"), $"'{name}': no timeStamp");
        var wwwAuthenticate = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        return (name, body.ToJsonString(), response.Content.Headers.ContentType?.ToString(), wwwAuthenticate);
    }
}
