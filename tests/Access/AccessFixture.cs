using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Access;

/// <summary>
/// The embedded product for access tests: an admin client, an anonymous portal client, and a clock that
/// only moves forward. Each test class gets its own instance, so moving the clock by hours disturbs no one;
/// every test works relative to its own start instant.
/// </summary>
public class AccessFixture : GatewayFixture
{
    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Portal { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = await CreateAdminClientAsync();
        Portal = CreateClient();
    }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Moves the fake clock forward to the given instant (never back, never sleeping).</summary>
    public void At(DateTimeOffset instant)
    {
        var step = instant - Time.GetUtcNow();
        Assert.True(step >= TimeSpan.Zero, $"The clock cannot go back to {instant:O} from {Time.GetUtcNow():O}.");
        Time.Advance(step);
    }

    // ---------- tenants ----------

    /// <summary>A tenant on IdentityCenter or ActiveDirectory (provisioning off): users come through the admin API (O-4).</summary>
    public async Task<AccessTenant> ManualTenantAsync(string source)
    {
        var tenant = await (await Admin.PostAsJsonAsync("tenants", new { displayName = "Access " + source, identitySource = source }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(source, tenant["source"]!.GetValue<string>(), ignoreCase: true);
        return new AccessTenant(tenant["tenantId"]!.GetValue<string>(), tenant["identityStoreId"]!.GetValue<string>(), null, null);
    }

    /// <summary>A tenant on ExternalIdp with automatic provisioning on and its first token.</summary>
    public async Task<AccessTenant> ScimTenantAsync(string idpName = "Okta")
    {
        var tenant = await (await Admin.PostAsJsonAsync("tenants", new { displayName = "Access SCIM", identitySource = "externalIdp", externalIdpName = idpName }))
            .ExpectAsync(HttpStatusCode.Created);
        var tenantId = tenant["tenantId"]!.GetValue<string>();
        var grant = await (await Admin.PostAsync($"tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.OK);
        var token = grant["token"]!.GetValue<string>();
        return new AccessTenant(tenantId, tenant["identityStoreId"]!.GetValue<string>(), ScimHttp.ScimClient(grant["scimEndpoint"]!.GetValue<string>(), token), token);
    }

    public async Task<JsonObject> TenantAsync(string tenantId) =>
        await (await Admin.GetAsync($"tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);

    public Task<HttpResponseMessage> ChangeSourceRequestAsync(string tenantId, string source, string? externalIdpName = null) =>
        Admin.PutAsJsonAsync($"tenants/{tenantId}/identity-source", new { identitySource = source, externalIdpName });

    public async Task<JsonObject> ChangeSourceAsync(string tenantId, string source, string? externalIdpName = null)
    {
        var tenant = await (await ChangeSourceRequestAsync(tenantId, source, externalIdpName)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(source, tenant["source"]!.GetValue<string>(), ignoreCase: true);
        return tenant;
    }

    public async Task<JsonObject> UpdateSettingsAsync(string tenantId, object change) =>
        await (await Admin.PatchAsJsonAsync($"tenants/{tenantId}/settings", change)).ExpectAsync(HttpStatusCode.OK);

    // ---------- users and groups ----------

    public static string NewUserName(string prefix = "u") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}@x.com";

    public static JsonObject UserBody(string userName, bool active = true)
    {
        var body = User(userName, externalId: "ext-" + userName);
        body["active"] = active;
        return body;
    }

    /// <summary>A user created by the operator (IdentityCenter, ActiveDirectory).</summary>
    public async Task<string> ManualUserAsync(string tenantId, string userName) =>
        (await (await Admin.PostJsonAsync($"tenants/{tenantId}/users", UserBody(userName))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public async Task<string> ManualGroupAsync(string tenantId, string displayName) =>
        (await (await Admin.PostJsonAsync($"tenants/{tenantId}/groups", new JsonObject { ["displayName"] = displayName }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public async Task ManualMemberAsync(string tenantId, string groupId, string userId) =>
        await (await Admin.PostAsJsonAsync($"tenants/{tenantId}/groups/{groupId}/members", new { userId })).ExpectAsync(HttpStatusCode.NoContent);

    public static async Task<string> ScimUserAsync(HttpClient scim, string userName, bool active = true) =>
        await scim.CreateUserAsync(UserBody(userName, active));

    public static async Task ScimMemberAsync(HttpClient scim, string groupId, string userId) =>
        await (await scim.PatchJsonAsync($"Groups/{groupId}", Op("add", "members", new JsonArray(new JsonObject { ["value"] = userId }))))
            .ExpectAsync(HttpStatusCode.NoContent);

    public static async Task ScimSetActiveAsync(HttpClient scim, string userId, bool active) =>
        await (await scim.PatchJsonAsync($"Users/{userId}", Op("replace", "active", JsonValue.Create(active)))).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The users of the tenant's live directory, as the admin API lists them.</summary>
    public async Task<List<JsonObject>> UsersAsync(string tenantId, string? filter = null) =>
        Resources(await (await Admin.GetAsync($"tenants/{tenantId}/users" + Filter(filter))).ExpectAsync(HttpStatusCode.OK));

    public async Task<List<JsonObject>> GroupsAsync(string tenantId, string? filter = null) =>
        Resources(await (await Admin.GetAsync($"tenants/{tenantId}/groups" + Filter(filter))).ExpectAsync(HttpStatusCode.OK));

    /// <summary>The ids of the users who are members of the group.</summary>
    public async Task<List<string>> MemberIdsAsync(string tenantId, string groupId) =>
        (await UsersAsync(tenantId, $"groups.value eq \"{groupId}\"")).Select(u => u["id"]!.GetValue<string>()).Order().ToList();

    private static string Filter(string? filter) => filter is null ? "" : "?filter=" + Uri.EscapeDataString(filter);

    private static List<JsonObject> Resources(JsonObject list) => list["Resources"]?.AsArray().Select(r => (JsonObject)r!).ToList() ?? [];

    public async Task<bool> ResetRequiredAsync(string tenantId, string userId) =>
        (await (await Admin.GetAsync($"tenants/{tenantId}/users/{userId}/password")).ExpectAsync(HttpStatusCode.OK))["resetRequired"]!.GetValue<bool>();

    // ---------- assignments ----------

    public async Task<string> AssignAsync(string tenantId, string principalType, string principalId, string target, string permissionSet) =>
        (await (await Admin.PostAsJsonAsync($"tenants/{tenantId}/assignments", new { principalType, principalId, target, permissionSet }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public async Task UnassignAsync(string tenantId, string assignmentId) =>
        await (await Admin.DeleteAsync($"tenants/{tenantId}/assignments/{assignmentId}")).ExpectAsync(HttpStatusCode.NoContent);

    /// <summary>The tenant's assignments (optionally of one principal) as "principalId:target:permissionSet".</summary>
    public async Task<List<string>> AssignmentsAsync(string tenantId, string? principalId = null)
    {
        var page = await (await Admin.GetAsync($"tenants/{tenantId}/assignments?count=1000" + (principalId is null ? "" : "&principalId=" + principalId)))
            .ExpectAsync(HttpStatusCode.OK);
        return page["assignments"]!.AsArray()
            .Select(a => $"{a!["principalId"]}:{a["target"]}:{a["permissionSet"]}").Order().ToList();
    }

    /// <summary>GET /admin/tenants/{id}/users/{uid}/access as "target:permissionSet".</summary>
    public async Task<List<string>> EffectiveAccessAsync(string tenantId, string userId)
    {
        var response = await Admin.GetAsync($"tenants/{tenantId}/users/{userId}/access");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return Grants(JsonNode.Parse(text)!.AsArray());
    }

    public static List<string> Grants(JsonArray? grants) =>
        (grants ?? []).Select(g => $"{g!["target"]}:{g["permissionSet"]}").Order().ToList();

    // ---------- portal and sessions ----------

    public Task<HttpResponseMessage> SignInRequestAsync(string identityStoreId, string userName) =>
        Portal.PostAsJsonAsync($"portal/{identityStoreId}/sign-in", new { userName });

    public async Task<(string SessionId, DateTimeOffset ExpiresAt)> SignInAsync(string identityStoreId, string userName)
    {
        var session = await (await SignInRequestAsync(identityStoreId, userName)).ExpectAsync(HttpStatusCode.OK);
        return (session["sessionId"]!.GetValue<string>(), session["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    public Task<HttpResponseMessage> SessionRequestAsync(string identityStoreId, string sessionId) =>
        Portal.GetAsync($"portal/{identityStoreId}/sessions/{sessionId}");

    public async Task<SessionView> SessionAsync(string identityStoreId, string sessionId)
    {
        var body = await (await SessionRequestAsync(identityStoreId, sessionId)).ExpectAsync(HttpStatusCode.OK);
        return new SessionView(body["valid"]!.GetValue<bool>(), body["validUntil"]?.GetValue<DateTimeOffset?>(), Grants(body["access"]?.AsArray()));
    }

    /// <summary>Asserts the session's validity at the current fake instant, with a message naming the instant.</summary>
    public async Task<SessionView> ExpectSessionAsync(string identityStoreId, string sessionId, bool valid, string when)
    {
        var session = await SessionAsync(identityStoreId, sessionId);
        Assert.True(session.Valid == valid,
            $"{when} ({Now:O}): expected the session {(valid ? "valid" : "invalid")}, got valid={session.Valid}, validUntil={session.ValidUntil:O}");
        return session;
    }

    public Task<HttpResponseMessage> RevokeRequestAsync(string tenantId, string userId) =>
        Admin.DeleteAsync($"tenants/{tenantId}/users/{userId}/sessions");
}

public sealed record AccessTenant(string TenantId, string IdentityStoreId, HttpClient? Scim, string? Token);

public sealed record SessionView(bool Valid, DateTimeOffset? ValidUntil, List<string> Access);
