using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

public sealed class PrometheusFixture : GatewayFixture
{
    public PrometheusFixture() => Settings["Telemetry:Prometheus"] = "true";
}

/// <summary>DESIGN §4 (observability): a Prometheus scrape endpoint, off unless turned on.</summary>
public sealed class MetricsEndpointTests(PrometheusFixture fixture) : IClassFixture<PrometheusFixture>
{
    [Fact]
    public async Task ScrapeEndpointServesRequestGrainAndStoreMetricsOnceTurnedOn()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync();

        using var scraper = fixture.CreateClient();
        var text = await (await scraper.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("identity_directory_store_duration_seconds", text);
        Assert.Contains("orleans", text);
    }

    [Fact]
    public async Task ScrapeEndpointIsOffByDefault()
    {
        await using var product = new GatewayFixture();
        await product.InitializeAsync();
        using var scraper = product.CreateClient();
        await (await scraper.GetAsync("/metrics")).ExpectErrorAsync(HttpStatusCode.NotFound);
    }
}
