using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>Small helpers so SCIM tests read as request → expected answer.</summary>
public static class ScimHttp
{
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    /// <summary>A client whose base is a tenant's SCIM endpoint, carrying the given bearer token.</summary>
    public static HttpClient ScimClient(string scimEndpoint, string token) => BearerClient(scimEndpoint, token);

    /// <summary>A client whose base is <paramref name="baseUrl"/>, carrying the given bearer token (a SCIM token or the operator key).</summary>
    public static HttpClient BearerClient(string baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/scim+json") });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.SendJsonAsync(HttpMethod.Post, path, body.ToJsonString());

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.SendJsonAsync(HttpMethod.Put, path, body.ToJsonString());

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, params JsonNode[] operations) =>
        client.SendJsonAsync(HttpMethod.Patch, path, new JsonObject
        {
            ["schemas"] = new JsonArray(PatchSchema),
            ["Operations"] = new JsonArray(operations.Select(o => o.DeepClone()).ToArray()),
        }.ToJsonString());

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonObject> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>Err(n, t) of the conformance scenarios: status, Error schemas, string status, non-empty detail, scimType when given.</summary>
    public static async Task<JsonObject> ExpectErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string? scimType = null)
    {
        var body = await response.ExpectAsync(status);
        Assert.Equal(ErrorSchema, body["schemas"]![0]!.GetValue<string>());
        Assert.Equal(((int)status).ToString(), body["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["detail"]?.GetValue<string>()));
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), body["exceptionRequestId"]!.GetValue<string>());
        if (scimType is not null)
            Assert.Equal(scimType, body["scimType"]?.GetValue<string>());
        return body;
    }

    /// <summary>The base user U0 of the conformance scenarios, with optional overrides.</summary>
    public static JsonObject User(string userName = "ruth@x.com", string? email = null, string externalId = "ext-1") => new()
    {
        ["schemas"] = new JsonArray(UserSchema),
        ["userName"] = userName,
        ["displayName"] = "Ruth R",
        ["name"] = new JsonObject { ["givenName"] = "Ruth", ["familyName"] = "R" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = email ?? userName, ["type"] = "work", ["primary"] = true }),
        ["externalId"] = externalId,
        ["active"] = true,
    };

    /// <summary>A user with unique values (U0′).</summary>
    public static JsonObject UniqueUser()
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        return User($"{unique}@x.com", externalId: $"ext-{unique}");
    }

    public static async Task<string> CreateUserAsync(this HttpClient client, JsonObject? user = null)
    {
        var body = await (await client.PostJsonAsync("Users", user ?? UniqueUser())).ExpectAsync(HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    public static async Task<string> CreateGroupAsync(this HttpClient client, string? displayName = null)
    {
        var group = new JsonObject { ["schemas"] = new JsonArray(GroupSchema), ["displayName"] = displayName ?? "G-" + Guid.NewGuid().ToString("N")[..10] };
        var body = await (await client.PostJsonAsync("Groups", group)).ExpectAsync(HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    public static JsonObject Op(string op, string? path, JsonNode? value)
    {
        var operation = new JsonObject { ["op"] = op };
        if (path is not null)
            operation["path"] = path;
        operation["value"] = value;
        return operation;
    }

    public static JsonObject Op(string op, string path) => new() { ["op"] = op, ["path"] = path };
}
