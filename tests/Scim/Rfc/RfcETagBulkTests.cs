using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;
using static IdentityDirectory.Tests.Scim.ConformanceChecks;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios C-80 (ETags) and C-81 (Bulk) of SCIM-RULES.md §13, and the rules R-ETAG-1..3 and R-BULK-1..2 around them.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcETagBulkTests(GatewayFixture fixture)
{
    // Scenario C-80. Rule R-ETAG-1..3: If-Match that does not match → 412; the matching one → 200 with a new ETag;
    // If-None-Match with the current ETag → 304.
    [Fact]
    public async Task C80_IfMatchAndIfNoneMatchFollowTheVersion()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var etag = RfcScim.ETag(await tenant.Client.GetAsync($"Users/{id}"));
        var body = User();
        body["displayName"] = "R2";

        using var stale = Put($"Users/{id}", body, ifMatch: "W/\"bogus\"");
        await (await tenant.Client.SendAsync(stale)).ExpectRfcErrorAsync(HttpStatusCode.PreconditionFailed);
        using var matching = Put($"Users/{id}", body, ifMatch: etag);
        var replaced = await tenant.Client.SendAsync(matching);
        await replaced.ExpectRfcAsync(HttpStatusCode.OK);
        var current = RfcScim.ETag(replaced);
        Assert.NotEqual(etag, current);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"Users/{id}");
        conditional.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(current));
        var notModified = await tenant.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(current, RfcScim.ETag(notModified));
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    // Rule R-ETAG-2: PATCH and DELETE honour If-Match too, and If-Match: * matches any existing resource.
    [Fact]
    public async Task PatchAndDeleteHonourIfMatch()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        using (var stalePatch = Patch($"Users/{id}", Op("replace", "nickName", "N"), ifMatch: "W/\"7\""))
            await (await tenant.Client.SendAsync(stalePatch)).ExpectRfcErrorAsync(HttpStatusCode.PreconditionFailed);
        using (var anyPatch = Patch($"Users/{id}", Op("replace", "nickName", "N"), ifMatch: "*"))
            await (await tenant.Client.SendAsync(anyPatch)).ExpectRfcAsync(HttpStatusCode.OK);
        using (var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"Users/{id}"))
        {
            staleDelete.Headers.TryAddWithoutValidation("If-Match", "W/\"1\"");
            await (await tenant.Client.SendAsync(staleDelete)).ExpectRfcErrorAsync(HttpStatusCode.PreconditionFailed);
        }
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"Users/{id}"))
        {
            delete.Headers.TryAddWithoutValidation("If-Match", "W/\"2\"");
            await (await tenant.Client.SendAsync(delete)).ExpectNoContentAsync();
        }
    }

    // Scenario C-81. Rule R-BULK-1: Bulk is off by default → 501.
    [Fact]
    public async Task C81_BulkWhileDisabledIsNotImplemented()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.PostJsonAsync("Bulk", Bulk(Operation("POST", "/Users", "u1", RfcScim.MinimalUser()))))
            .ExpectRfcErrorAsync(HttpStatusCode.NotImplemented);
    }

    // Rule R-BULK-2, R-DISC-1: with Bulk on, its limits are advertised; a user and a new group holding it are created in one
    // request, the group naming the user by bulkId before the user's operation comes.
    [Fact]
    public async Task BulkCreatesAUserAndAGroupThatRefersToItByBulkId()
    {
        var tenant = await fixture.CreateRfcTenantAsync(new JsonObject { ["bulkEnabled"] = true });
        var config = await tenant.Client.GetRfcAsync("ServiceProviderConfig");
        Assert.True(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.Equal(1000, config["bulk"]!["maxOperations"]!.GetValue<int>());
        Assert.Equal(1024 * 1024, config["bulk"]!["maxPayloadSize"]!.GetValue<int>());

        var response = await (await tenant.Client.PostJsonAsync("Bulk", Bulk(
            Operation("POST", "/Groups", "g1", RfcScim.Group("Bulk group", new JsonArray(new JsonObject { ["value"] = "bulkId:u1" }))),
            Operation("POST", "/Users", "u1", User())))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(RfcScim.BulkResponseSchema, response["schemas"]![0]!.GetValue<string>());
        var results = response["Operations"]!.AsArray().ToDictionary(o => o!["bulkId"]!.GetValue<string>(), o => o!);
        Assert.All(results.Values, r => Assert.Equal("201", r["status"]!.GetValue<string>()));
        Assert.Equal("W/\"1\"", results["u1"]["version"]!.GetValue<string>());
        var userId = results["u1"]["location"]!.GetValue<string>().Split('/').Last();
        var group = await tenant.Client.GetRfcAsync(new Uri(results["g1"]["location"]!.GetValue<string>()).PathAndQuery.Split("/scim/v2/")[1]);
        Assert.Equal(new[] { userId }, RfcScim.MemberValues(group));
        Assert.Equal("ruth@x.com", (await tenant.Client.GetRfcAsync($"Users/{userId}"))["userName"]!.GetValue<string>());
    }

    // Rule R-BULK-2: each operation stands alone; failOnErrors stops the request after that many errors; a reference to a
    // bulkId whose creation failed is 409.
    [Fact]
    public async Task BulkStopsAfterFailOnErrorsAndEachOperationStandsAlone()
    {
        var tenant = await fixture.CreateRfcTenantAsync(new JsonObject { ["bulkEnabled"] = true });
        await tenant.Client.CreateUserAsync(User());

        var request = Bulk(
            Operation("POST", "/Users", "taken", User()),
            Operation("PATCH", "/Groups/bulkId:nothing", null, new JsonObject
            {
                ["schemas"] = new JsonArray(PatchSchema),
                ["Operations"] = new JsonArray(Op("add", "members", Members(["bulkId:taken"]))),
            }),
            Operation("POST", "/Users", "fine", RfcScim.MinimalUser("fine@x.com")));
        request["failOnErrors"] = 2;
        var response = await (await tenant.Client.PostJsonAsync("Bulk", request)).ExpectRfcAsync(HttpStatusCode.OK);

        var results = response["Operations"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("409", results[0]!["status"]!.GetValue<string>());
        Assert.Equal("uniqueness", results[0]!["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("409", results[1]!["status"]!.GetValue<string>());
        Assert.Equal(0, await tenant.Client.TotalAsync("Users", "userName eq \"fine@x.com\""));
    }

    // Rule R-BULK-2: over maxOperations → 413; a body without the BulkRequest URN → 400.
    [Fact]
    public async Task BulkOverItsLimitIs413()
    {
        var tenant = await fixture.CreateRfcTenantAsync(new JsonObject { ["bulkEnabled"] = true });
        var operations = Enumerable.Range(0, 1001).Select(i => Operation("DELETE", $"/Users/{i}", null, null)).ToArray();

        await (await tenant.Client.PostJsonAsync("Bulk", Bulk(operations))).ExpectRfcErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await tenant.Client.PostJsonAsync("Bulk", new JsonObject { ["Operations"] = new JsonArray() })).ExpectRfcErrorAsync(HttpStatusCode.BadRequest);
    }

    private static HttpRequestMessage Put(string path, JsonObject body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json") };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static HttpRequestMessage Patch(string path, JsonObject operation, string ifMatch)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(PatchSchema), ["Operations"] = new JsonArray(operation) };
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json") };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static JsonObject Bulk(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray(RfcScim.BulkRequestSchema),
        ["Operations"] = new JsonArray(operations),
    };

    private static JsonObject Operation(string method, string path, string? bulkId, JsonObject? data)
    {
        var operation = new JsonObject { ["method"] = method, ["path"] = path };
        if (bulkId is not null)
            operation["bulkId"] = bulkId;
        if (data is not null)
            operation["data"] = data;
        return operation;
    }
}
