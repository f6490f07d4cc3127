using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>The operator's key and tenants over the admin HTTP API (O-1, O-2).</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminOperatorTests(AdminFixture fixture)
{
    [Theory]
    [InlineData("GET", "/admin/")]
    [InlineData("GET", "/admin/tenants")]
    [InlineData("POST", "/admin/tenants")]
    public async Task AdminWithoutKeyOrWithWrongKeyIs401Problem(string method, string path)
    {
        // Rule O-1: /admin opens only with the operator key.
        using var client = fixture.CreateClient();
        var wrongKey = fixture.OperatorKey[..^2] + (fixture.OperatorKey.EndsWith("AA") ? "BB" : "AA");
        foreach (var authorization in new string?[] { null, "Bearer", "Bearer " + wrongKey, "Bearer " + Guid.NewGuid().ToString("N"), "Basic " + fixture.OperatorKey })
        {
            var request = AdminApi.Request(new HttpMethod(method), path, authorization);
            if (method == "POST")
                request.Content = AdminApi.Json(new JsonObject { ["displayName"] = "intruder", ["identitySource"] = "ExternalIdp" });
            var response = await client.SendAsync(request);
            await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Null(response.Headers.Location);
        }
    }

    [Fact]
    public async Task AdminWithScimTokenIs401AndScimWithOperatorKeyIs401()
    {
        // Rule O-1: SCIM tokens never open the admin API, and vice versa.
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimHttp.ScimClient(endpoint, token);
        await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        using var withToken = fixture.CreateClient();
        withToken.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await (await withToken.GetAsync("/admin/tenants")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await withToken.GetAsync($"/admin/tenants/{tenantId}/tokens")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await withToken.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        using var scimWithKey = ScimHttp.ScimClient(endpoint, fixture.OperatorKey);
        await (await scimWithKey.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await scimWithKey.PostJsonAsync("Users", UniqueUser())).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateGetAndPagedListOfTenants()
    {
        // Rule O-2: tenant id a UUID, directory id d- + 10 hex; list pages with count/after=next.
        var created = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
            created.Add(await fixture.Admin.CreateTenantAsync(i % 2 == 0 ? "ExternalIdp" : "IdentityCenter", $"Paged {i}"));

        foreach (var tenant in created)
        {
            var tenantId = tenant["tenantId"]!.GetValue<string>();
            Assert.True(Guid.TryParseExact(tenantId, "D", out _), tenantId);
            Assert.Matches(new Regex("^d-[0-9a-f]{10}$"), tenant["identityStoreId"]!.GetValue<string>());

            var read = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(tenantId, read["tenantId"]!.GetValue<string>());
            Assert.Equal(tenant["identityStoreId"]!.GetValue<string>(), read["identityStoreId"]!.GetValue<string>());
            Assert.Equal(tenant["displayName"]!.GetValue<string>(), read["displayName"]!.GetValue<string>());
            // I-9: a new tenant starts with provisioning off.
            Assert.False(read["provisioningEnabled"]!.GetValue<bool>());
        }
        Assert.Equal(created.Count, created.Select(t => t["identityStoreId"]!.GetValue<string>()).Distinct().Count());

        var listed = await ListAllTenantIdsAsync(pageSize: 2);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        foreach (var tenant in created)
            Assert.Single(listed, id => id == tenant["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownTenantIs404Problem()
    {
        // Rule O-2
        await (await fixture.Admin.GetAsync($"/admin/tenants/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletedTenantIsGoneWithItsTokensAndData()
    {
        // Rule O-2: deleting a tenant deletes all its data and tokens; SCIM calls then get 401.
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var second = await fixture.Admin.CreateTokenAsync(tenantId);
        using var scim = ScimHttp.ScimClient(endpoint, token);
        using var scim2 = ScimHttp.ScimClient(endpoint, second);
        var user1 = await scim.CreateUserAsync();
        var user2 = await scim.CreateUserAsync();
        var group = await scim.CreateGroupAsync();
        await (await scim.PatchJsonAsync($"Groups/{group}", Op("add", "members", new JsonArray(new JsonObject { ["value"] = user1 }))))
            .ExpectAsync(HttpStatusCode.NoContent);
        Assert.Contains(tenantId, await ListAllTenantIdsAsync(pageSize: 50));
        var identityStoreId = (await fixture.Grains.GetGrain<IDirectoryGrain>(tenantId).GetAsync())!.IdentityStoreId;

        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.NoContent);

        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/tokens")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await scim.GetAsync($"Users/{user1}")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await scim2.GetAsync("Groups")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(tenantId, await ListAllTenantIdsAsync(pageSize: 50));

        // The rows go in the background (TenantDeletionPurgeTests); here the purge is run to its end.
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(tenantId);
        for (var batch = 0; !await directory.PurgeAsync(); batch++)
            Assert.True(batch < 100, "the purge never ended");
        var store = fixture.Services.GetRequiredService<IDirectoryStore>();
        var partition = DirectoryPartition.First(tenantId);
        Assert.Null(await store.GetUserAsync(partition, user1));
        Assert.Null(await store.GetUserAsync(partition, user2));
        Assert.Null(await store.GetGroupAsync(partition, group));
        Assert.Equal(0, await TenantRows.CountAsync(fixture, tenantId));
        Assert.DoesNotContain(tenantId, (await store.ListTenantsAsync(0, int.MaxValue)).TenantIds);
        Assert.Null(await store.FindPortalTenantAsync(identityStoreId));
    }

    private async Task<List<string>> ListAllTenantIdsAsync(int pageSize)
    {
        var ids = new List<string>();
        string? after = null;
        for (var page = 0; page < 100_000; page++)
        {
            var url = $"/admin/tenants?count={pageSize}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var body = await (await fixture.Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            var tenants = body["tenants"]!.AsArray();
            Assert.True(tenants.Count <= pageSize, $"page of {tenants.Count} for count={pageSize}");
            ids.AddRange(tenants.Select(t => t!["tenant"]!["tenantId"]!.GetValue<string>()));
            after = body["next"] is JsonValue next ? next.ToString() : null;
            if (after is null)
                return ids;
        }
        throw new InvalidOperationException("The tenant list never ended.");
    }
}
