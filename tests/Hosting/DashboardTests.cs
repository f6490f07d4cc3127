using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>The Orleans dashboard at /dashboard: on only when enabled, and then only for the operator key (O-1).</summary>
public sealed class DashboardTests(DashboardTests.ProductWithDashboard product) : IClassFixture<DashboardTests.ProductWithDashboard>
{
    [Fact]
    public async Task OnlyTheOperatorKeyOpensTheDashboard()
    {
        var tenant = await product.CreateTenantAsync();
        using var client = product.CreateClient();

        var anonymous = await client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme); // a browser asks for the key
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/dashboard/", Basic("wrong-key")))).StatusCode);
        // Rule O-1: SCIM tokens never open what the operator key opens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/dashboard/DashboardCounters", Basic(tenant.Token)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/dashboard/GrainState", "Bearer " + tenant.Token))).StatusCode);

        var page = await client.SendAsync(Get("/dashboard/", Basic(await product.OperatorKeyAsync())));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());

        var grainTypes = await client.SendAsync(Get("/dashboard/GrainTypes", "Bearer " + await product.OperatorKeyAsync()));
        Assert.Equal(HttpStatusCode.OK, grainTypes.StatusCode);
        var names = JsonNode.Parse(await grainTypes.Content.ReadAsStringAsync())!.AsArray().Select(name => name!.GetValue<string>());
        Assert.Contains("IdentityDirectory.Users.UserGrain", names);
    }

    [Fact]
    public async Task WithoutTheSettingThereIsNoDashboard()
    {
        await using var plain = new GatewayFixture();
        await plain.InitializeAsync();
        using var client = plain.CreateClient();

        var response = await client.SendAsync(Get("/dashboard/", Basic(await plain.OperatorKeyAsync())));

        await response.ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    private static string Basic(string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}"));

    private static HttpRequestMessage Get(string path, string authorization) => AdminApi.Request(HttpMethod.Get, path, authorization);

    public sealed class ProductWithDashboard : GatewayFixture
    {
        public ProductWithDashboard() => Settings["Dashboard:Enabled"] = "true";
    }
}
