using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
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
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/dashboard/", Basic("wrong-key"))).StatusCode);
        // Rule O-1: SCIM tokens never open what the operator key opens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/dashboard/DashboardCounters", Basic(tenant.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/dashboard/GrainState", new("Bearer", tenant.Token))).StatusCode);

        var page = await GetAsync(client, "/dashboard/", Basic(await product.OperatorKeyAsync()));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());

        var grainTypes = await GetAsync(client, "/dashboard/GrainTypes", new("Bearer", await product.OperatorKeyAsync()));
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

        var response = await GetAsync(client, "/dashboard/", Basic(await plain.OperatorKeyAsync()));

        await response.ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    private static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}")));

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return client.SendAsync(request);
    }

    public sealed class ProductWithDashboard : GatewayFixture
    {
        public ProductWithDashboard() => Settings["Dashboard:Enabled"] = "true";
    }
}
