using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Access;

public sealed class AccessAssignmentPagingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Listing assignments page by page (after = next) returns each of the tenant's assignments once,
    // even while another tenant's assignments are written in between.
    [Fact]
    public async Task PagingThroughAssignmentsSeesEachOnce()
    {
        using var admin = await fixture.CreateAdminClientAsync();
        async Task<(string Tenant, string User)> TenantWithUserAsync(string name)
        {
            var tenant = await (await admin.PostAsJsonAsync("tenants", new { displayName = name, identitySource = "IdentityCenter" })).ExpectAsync(HttpStatusCode.Created);
            var tenantId = tenant["tenantId"]!.GetValue<string>();
            var user = await (await admin.PostJsonAsync($"tenants/{tenantId}/users", UniqueUser())).ExpectAsync(HttpStatusCode.Created);
            return (tenantId, user["id"]!.GetValue<string>());
        }
        var (mine, myUser) = await TenantWithUserAsync("mine");
        var (other, otherUser) = await TenantWithUserAsync("other");
        for (var i = 0; i < 5; i++)
        {
            foreach (var (tenant, user) in new[] { (mine, myUser), (other, otherUser) })
                await (await admin.PostAsJsonAsync($"tenants/{tenant}/assignments",
                    new { principalType = "User", principalId = user, target = $"account-{i}", permissionSet = "ReadOnly" })).ExpectAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        long? after = 0;
        while (after is not null)
        {
            var page = await admin.GetFromJsonAsync<JsonObject>($"tenants/{mine}/assignments?count=2&after={after}");
            seen.AddRange(page!["assignments"]!.AsArray().Select(a => a!["target"]!.GetValue<string>()));
            after = page["next"]?.GetValue<long>();
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"account-{i}"), seen);
    }
}
