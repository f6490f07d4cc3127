using System.Net;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>What the embedded product prints at its first and later starts (README: the start command).</summary>
public sealed class FirstStartTests
{
    private static string? ValueOf(IReadOnlyList<string> lines, string label) =>
        lines.SingleOrDefault(line => line.StartsWith(label + ": ", StringComparison.Ordinal))?[(label.Length + 2)..];

    [Fact]
    public async Task LaterStartsPointAtTheDemoTenantOnlyWhileItServesScim()
    {
        var directory = TestDirectories.New();
        string endpoint, token;
        await using (var first = new ProductOnDirectory(directory, ownsDirectory: false))
        {
            await first.InitializeAsync();
            var baseUrl = first.BaseAddress.ToString().TrimEnd('/');
            var lines = await FirstStart.DescribeAsync(first.Grains, baseUrl);

            // Rules T-1, T-2: the first start shows the operator key, the demo tenant's endpoint and its token, once.
            Assert.Equal($"{baseUrl}/admin/", ValueOf(lines, "Admin URL"));
            Assert.False(string.IsNullOrEmpty(ValueOf(lines, "Operator key")));
            endpoint = ValueOf(lines, "SCIM endpoint")!;
            token = ValueOf(lines, "SCIM token")!;
            using var scim = ScimHttp.ScimClient(endpoint, token);
            await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        }

        await using var second = new ProductOnDirectory(directory, ownsDirectory: true);
        await second.InitializeAsync();
        var secondBase = second.BaseAddress.ToString().TrimEnd('/');
        var tenantId = new Uri(endpoint).Segments[1].TrimEnd('/');
        var again = await FirstStart.DescribeAsync(second.Grains, secondBase);
        Assert.Equal("shown at first start (only its hash is stored)", ValueOf(again, "Operator key"));
        Assert.Equal($"{secondBase}/{tenantId}/scim/v2", ValueOf(again, "SCIM endpoint"));
        Assert.StartsWith("shown at first start", ValueOf(again, "SCIM token"));

        // Rule T-7: with its token deleted and provisioning off, the demo tenant has no endpoint to show.
        var demo = second.Grains.GetGrain<IDirectoryGrain>(tenantId);
        Assert.True(ScimToken.TryParse(token, out var tokenId, out _));
        await demo.DeleteTokenAsync(tokenId);
        await demo.DisableProvisioningAsync();
        var provisioningOff = await FirstStart.DescribeAsync(second.Grains, secondBase);
        Assert.Null(ValueOf(provisioningOff, "SCIM endpoint"));
        Assert.StartsWith("automatic provisioning is off", ValueOf(provisioningOff, $"Demo tenant {tenantId}"));

        // A deleted demo tenant is not pointed at any more, and not created again behind the operator's back.
        await demo.DeleteAsync();
        var afterDeletion = await FirstStart.DescribeAsync(second.Grains, secondBase);
        Assert.Null(ValueOf(afterDeletion, "SCIM endpoint"));
        Assert.Null(ValueOf(afterDeletion, "SCIM token"));
        Assert.Equal("deleted; create tenants with the admin API", ValueOf(afterDeletion, $"Demo tenant {tenantId}"));
        Assert.Equal($"{secondBase}/admin/", ValueOf(afterDeletion, "Admin URL"));
    }

    [Fact]
    public async Task AStartWithResetKeyReplacesALostOperatorKey()
    {
        await using var product = new ProductOnDirectory(TestDirectories.New(), ownsDirectory: true);
        await product.InitializeAsync();
        var baseUrl = product.BaseAddress.ToString().TrimEnd('/');
        var lost = ValueOf(await FirstStart.DescribeAsync(product.Grains, baseUrl), "Operator key")!;

        var reset = ValueOf(await FirstStart.DescribeAsync(product.Grains, baseUrl, resetOperatorKey: true), "Operator key")!;

        // Rule O-1: the printed key opens the admin API, the lost one no longer does.
        Assert.NotEqual(lost, reset);
        using var client = product.CreateClient();
        foreach (var (key, expected) in new[] { (lost, HttpStatusCode.Unauthorized), (reset, HttpStatusCode.OK) })
            Assert.Equal(expected, (await client.SendAsync(AdminApi.Request(HttpMethod.Get, "/admin/tenants", "Bearer " + key))).StatusCode);
    }
}
