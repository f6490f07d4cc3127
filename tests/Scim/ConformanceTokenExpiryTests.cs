using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Scim;

/// <summary>
/// C-04 and its T-5 counterpart move the clock by about a year, so they run on their own product
/// instance and never shift the time the shared gateway collection sees.
/// </summary>
public sealed class ConformanceTokenExpiryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task C04_TokenCreated366DaysAgoIs401()
    {
        // Rule R-TOK-3 (1-year validity), R-GEN-2 (expired token → 401), R-ERR-1
        var tenant = await fixture.CreateTenantAsync();
        await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("ServiceProviderConfig"), HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromDays(366));
        var response = await tenant.Client.GetAsync("ServiceProviderConfig");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task C04_TokenStillValidOneSecondBefore365Days()
    {
        // Rule T-5 / R-TOK-3 (a token is valid for one year from its creation)
        var tenant = await fixture.CreateTenantAsync();

        fixture.Time.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        var response = await tenant.Client.GetAsync("ServiceProviderConfig");

        var config = await Conformance.ExpectAwsAsync(response, HttpStatusCode.OK);
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
    }
}
