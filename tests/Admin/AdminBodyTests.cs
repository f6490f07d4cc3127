using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>Operator request bodies are read strictly: what an operator wrote is done, or refused with a problem that says why.</summary>
public sealed class AdminBodyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task AnUnknownFieldInAnyOperatorBodyIsRefusedByName()
    {
        // Rule O-3, DESIGN §4 (admin errors are RFC 7807 problems): a field the request does not have is 400 naming it, and
        // nothing of the request is done; a settings change with rate limits spelled wrongly no longer answers 200.
        using var admin = await fixture.CreateAdminClientAsync();
        var (tenantId, storeId, userId, groupId) = await ManualTenantAsync(admin);
        var settings = await (await admin.GetAsync($"tenants/{tenantId}/settings")).ExpectAsync(HttpStatusCode.OK);
        var tenants = await TenantCountAsync(admin);

        foreach (var (method, path, body, field) in new[]
                 {
                     ("PATCH", $"tenants/{tenantId}/settings", """{"rateLimits":{"readsPerSecond":1}}""", "rateLimits"),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"userQuota":5,"userQuotas":6}""", "userQuotas"),
                     ("POST", "tenants", """{"displayName":"Unknown field","region":"eu"}""", "region"),
                     ("PUT", $"tenants/{tenantId}/identity-source", """{"identitySource":"activeDirectory","keepUsers":true}""", "keepUsers"),
                     ("POST", $"tenants/{tenantId}/assignments",
                         $$"""{"principalType":"User","principalId":"{{userId}}","target":"a","permissionSet":"p","expires":"never"}""", "expires"),
                     ("POST", $"tenants/{tenantId}/groups/{groupId}/members", $$"""{"userId":"{{userId}}","role":"owner"}""", "role"),
                     ("POST", $"/portal/{storeId}/sign-in", """{"userName":"x@x.com","password":"p"}""", "password"),
                 })
        {
            var problem = await (await Send(admin, method, path, body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains($"'{field}'", problem["detail"]!.GetValue<string>());
        }

        Assert.True(JsonNode.DeepEquals(settings, await (await admin.GetAsync($"tenants/{tenantId}/settings")).ExpectAsync(HttpStatusCode.OK)));
        Assert.Equal(tenants, await TenantCountAsync(admin));
        Assert.Equal("identityCenter", (await (await admin.GetAsync($"tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK))["source"]!.GetValue<string>());
        var assignments = await (await admin.GetAsync($"tenants/{tenantId}/assignments")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(assignments["assignments"]!.AsArray());
    }

    [Fact]
    public async Task AWrongValueANullOrMalformedJsonIsAProblemNeverA500()
    {
        // Rule O-3, I-8, DESIGN §4: wrong types, a null or a missing value where one is required, and bodies that are not one
        // JSON object are 400 problems; a body that is not JSON at all is 415; and all of it only after the operator key (O-1).
        using var admin = await fixture.CreateAdminClientAsync();
        var (tenantId, _, _, _) = await ManualTenantAsync(admin);
        var settings = await (await admin.GetAsync($"tenants/{tenantId}/settings")).ExpectAsync(HttpStatusCode.OK);

        foreach (var (method, path, body) in new[]
                 {
                     ("PATCH", $"tenants/{tenantId}/settings", """{"userQuota":"many"}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"sessionDuration":5}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"readsPerSecond":1e400}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"userQuota":1.5}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"userQuota":1,"USERQUOTA":2}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", """{"profile":"aws\ud800"}"""),
                     ("PATCH", $"tenants/{tenantId}/settings", "{"),
                     ("PATCH", $"tenants/{tenantId}/settings", "[]"),
                     ("PATCH", $"tenants/{tenantId}/settings", "null"),
                     ("PATCH", $"tenants/{tenantId}/settings", ""),
                     ("PUT", $"tenants/{tenantId}/identity-source", "{}"),
                     ("PUT", $"tenants/{tenantId}/identity-source", """{"identitySource":null}"""),
                     ("PUT", $"tenants/{tenantId}/identity-source", """{"identitySource":2}"""),
                     ("PUT", $"tenants/{tenantId}/identity-source", """{"identitySource":"nowhere"}"""),
                     ("POST", $"tenants/{tenantId}/assignments", """{"principalType":"User","principalId":null,"target":"a","permissionSet":"p"}"""),
                     ("POST", "tenants", """{"displayName":{"first":"x"}}"""),
                 })
            await (await Send(admin, method, path, body)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var notJson = new HttpRequestMessage(HttpMethod.Patch, $"tenants/{tenantId}/settings") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        await (await admin.SendAsync(notJson)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using var wrongKey = BearerClient(admin.BaseAddress!.ToString(), "not-the-key");
        await (await Send(wrongKey, "PATCH", $"tenants/{tenantId}/settings", "{")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        Assert.True(JsonNode.DeepEquals(settings, await (await admin.GetAsync($"tenants/{tenantId}/settings")).ExpectAsync(HttpStatusCode.OK)));
        Assert.Equal("identityCenter", (await (await admin.GetAsync($"tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK))["source"]!.GetValue<string>());
        await (await Send(admin, "PATCH", $"tenants/{tenantId}/settings", """{"userQuota":null,"sessionDuration":"12:00:00"}""")).ExpectAsync(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    /// <summary>A tenant under manual provisioning (O-4) with one user in one group.</summary>
    private static async Task<(string TenantId, string StoreId, string UserId, string GroupId)> ManualTenantAsync(HttpClient admin)
    {
        var tenant = await (await admin.PostAsJsonAsync("tenants", new { displayName = "Bodies", identitySource = "identityCenter" })).ExpectAsync(HttpStatusCode.Created);
        var tenantId = tenant["tenantId"]!.GetValue<string>();
        var userId = (await (await admin.PostAsync($"tenants/{tenantId}/users", AdminApi.Json(UniqueUser()))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var groupId = (await (await admin.PostAsync($"tenants/{tenantId}/groups", AdminApi.Json(new JsonObject { ["displayName"] = "G" })))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        return (tenantId, tenant["identityStoreId"]!.GetValue<string>(), userId, groupId);
    }

    private static async Task<int> TenantCountAsync(HttpClient admin) =>
        (await (await admin.GetAsync("tenants?count=500")).ExpectAsync(HttpStatusCode.OK))["tenants"]!.AsArray().Count;
}
