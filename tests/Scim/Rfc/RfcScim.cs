using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Tenants switched to the rfc profile, and the checks every rfc answer must pass.</summary>
internal static class RfcScim
{
    public const string ContentType = "application/scim+json";
    public const string SearchSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public const string BulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public const string BulkResponseSchema = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    /// <summary>A fresh tenant switched to the rfc profile through <c>PATCH /admin/tenants/{id}/settings</c> (O-3), with further settings when given.</summary>
    public static async Task<ScimTenant> CreateRfcTenantAsync(this GatewayFixture fixture, JsonObject? settings = null)
    {
        var tenant = await fixture.CreateTenantAsync();
        await fixture.ChangeSettingsAsync(tenant, settings ?? new JsonObject());
        return tenant;
    }

    /// <summary>Switches the tenant to the rfc profile with <paramref name="settings"/>; returns the settings in force.</summary>
    public static async Task<JsonObject> ChangeSettingsAsync(this GatewayFixture fixture, ScimTenant tenant, JsonObject settings, string profile = "rfc")
    {
        settings["profile"] = profile;
        using var admin = await fixture.CreateAdminClientAsync();
        var changed = await (await admin.PatchAsJsonAsync($"tenants/{tenant.TenantId}/settings", settings)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(profile, changed["profile"]!.GetValue<string>());
        return changed;
    }

    /// <summary>Status, <c>application/scim+json</c> on a body (R-GEN-4) and the request id (R-GEN-5); returns the body.</summary>
    public static async Task<JsonObject> ExpectRfcAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        if (response.Content.Headers.ContentLength > 0)
            Assert.Equal(ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"), "no x-amzn-RequestId header");
        return body;
    }

    /// <summary>Err(n, t) in the rfc profile: the Error body (R-ERR-1), <c>application/scim+json</c>, and a scimType on 400 and 409 (R-ERR-3).</summary>
    public static async Task<JsonObject> ExpectRfcErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string? scimType = null)
    {
        var body = await response.ExpectErrorAsync(status, scimType);
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.MediaType);
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
            Assert.False(string.IsNullOrEmpty(body["scimType"]?.GetValue<string>()), $"no scimType on {(int)status}: {body.ToJsonString()}");
        return body;
    }

    public static async Task<JsonObject> GetRfcAsync(this HttpClient client, string path) =>
        await (await client.GetAsync(path)).ExpectRfcAsync(HttpStatusCode.OK);

    /// <summary>The minimal rfc user (C-16): userName only.</summary>
    public static JsonObject MinimalUser(string? userName = null) => new()
    {
        ["schemas"] = new JsonArray(UserSchema),
        ["userName"] = userName ?? $"{Guid.NewGuid():N}@x.com",
    };

    public static JsonObject Group(string displayName, JsonArray? members = null)
    {
        var group = new JsonObject { ["schemas"] = new JsonArray(GroupSchema), ["displayName"] = displayName };
        if (members is not null)
            group["members"] = members;
        return group;
    }

    public static JsonObject Search(string? filter = null, int? startIndex = null, int? count = null)
    {
        var search = new JsonObject { ["schemas"] = new JsonArray(SearchSchema) };
        if (filter is not null)
            search["filter"] = filter;
        if (startIndex is not null)
            search["startIndex"] = startIndex;
        if (count is not null)
            search["count"] = count;
        return search;
    }

    public static IReadOnlyList<string> Ids(JsonObject list) =>
        list["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

    public static IReadOnlyList<string> MemberValues(JsonObject group) =>
        group["members"] is JsonArray members ? members.Select(m => m!["value"]!.GetValue<string>()).Order().ToList() : [];

    public static string ETag(HttpResponseMessage response) => response.Headers.ETag!.ToString();
}
