using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Tests.Admin;

/// <summary>
/// The embedded product with its operator key: the fixture runs with <c>Bootstrap:Enabled=false</c>, so
/// the key is created at start through <see cref="GatewayFixture.OperatorKeyAsync"/> (it is returned only once).
/// Used as the "admin" collection fixture and, per class, by tests that move the clock.
/// </summary>
public class AdminFixture : GatewayFixture
{
    public string OperatorKey { get; private set; } = null!;

    /// <summary>A client on the real socket carrying the operator key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await OnStartedAsync();
        OperatorKey = await OperatorKeyAsync();
        Admin = CreateClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
    }

    /// <summary>Runs after the product started and before the operator key is created.</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminFixture>
{
    public const string Name = "admin";
}

/// <summary>An <see cref="AdminFixture"/> whose every log line (Debug and up) is recorded (O-5).</summary>
public sealed class AdminLogCaptureFixture : AdminFixture
{
    public AdminLogCaptureFixture()
    {
        Settings["Logging:LogLevel:Default"] = "Debug";
        Settings["Logging:LogLevel:Microsoft"] = "Debug";
        Settings["Logging:LogLevel:Orleans"] = "Debug";
        Settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Debug";
    }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>
    /// GatewayFixture builds its host privately, so the provider is added to the running host's
    /// logger factory: <see cref="LoggerFactory.AddProvider"/> also attaches it to loggers created before.
    /// </summary>
    protected override Task OnStartedAsync()
    {
        Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        return Task.CompletedTask;
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Capture(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Capture(string category, ConcurrentQueue<(LogLevel, string, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue((LogLevel.Trace, category, "scope: " + state));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                    text.Append(" | ").Append(key).Append('=').Append(value);
            }
            if (exception is not null)
                text.Append(" | ").Append(exception);
            lines.Enqueue((logLevel, category, text.ToString()));
        }
    }
}

/// <summary>The admin API over HTTP, as an operator would call it.</summary>
public static class AdminApi
{
    public static async Task<JsonObject> CreateTenantAsync(this HttpClient admin, string source = "ExternalIdp", string? displayName = null)
    {
        var response = await admin.PostAsync("/admin/tenants", Json(new JsonObject
        {
            ["displayName"] = displayName ?? "Tenant " + Guid.NewGuid().ToString("N")[..8],
            ["identitySource"] = source,
            ["externalIdpName"] = source == "ExternalIdp" ? "Test IdP" : null,
        }));
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>A tenant on ExternalIdp with provisioning enabled: its id, SCIM endpoint and first token.</summary>
    public static async Task<(string TenantId, string Endpoint, string Token)> CreateProvisionedTenantAsync(this HttpClient admin)
    {
        var tenantId = (await admin.CreateTenantAsync())["tenantId"]!.GetValue<string>();
        var grant = await (await admin.PostAsync($"/admin/tenants/{tenantId}/provisioning", null)).ExpectAsync(HttpStatusCode.OK);
        return (tenantId, grant["scimEndpoint"]!.GetValue<string>(), grant["token"]!.GetValue<string>());
    }

    public static async Task<string> CreateTokenAsync(this HttpClient admin, string tenantId)
    {
        var created = await (await admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectAsync(HttpStatusCode.OK);
        return created["token"]!.GetValue<string>();
    }

    public static async Task<JsonObject> ListTokensAsync(this HttpClient admin, string tenantId) =>
        await (await admin.GetAsync($"/admin/tenants/{tenantId}/tokens")).ExpectAsync(HttpStatusCode.OK);

    public static async Task DeleteTokenAsync(this HttpClient admin, string tenantId, string token) =>
        await (await admin.DeleteAsync($"/admin/tenants/{tenantId}/tokens/{TokenId(token)}")).ExpectAsync(HttpStatusCode.NoContent);

    /// <summary>The token's entry in the token view.</summary>
    public static JsonObject TokenEntry(JsonObject view, string token) =>
        (JsonObject)view["tokens"]!.AsArray().Single(t => t!["tokenId"]!.GetValue<string>() == TokenId(token))!;

    /// <summary>Every health event of the tenant, following <c>next</c> until it is absent.</summary>
    public static async Task<List<JsonObject>> ListAllEventsAsync(this HttpClient admin, string tenantId, int pageSize = 10)
    {
        var events = new List<JsonObject>();
        string? after = null;
        for (var page = 0; page < 10_000; page++)
        {
            var url = $"/admin/tenants/{tenantId}/events?count={pageSize}" + (after is null ? "" : $"&after={after}");
            var body = await (await admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            events.AddRange(body["events"]!.AsArray().Select(e => (JsonObject)e!));
            after = body["next"]?.ToJsonString();
            if (after is null)
                return events;
            after = after.Trim('"');
        }
        throw new InvalidOperationException("The event list never ended.");
    }

    /// <summary>The token id: the part of a SCIM token before the '.'.</summary>
    public static string TokenId(string token) => token[..token.IndexOf('.')];

    /// <summary>The secret part of a SCIM token: what only the holder knows.</summary>
    public static string Secret(string token) => token[(token.IndexOf('.') + 1)..];

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>An RFC 7807 problem of the admin API with the given status.</summary>
    public static async Task<JsonObject> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        return body;
    }

    public static HttpRequestMessage Request(HttpMethod method, string url, string? authorization)
    {
        var request = new HttpRequestMessage(method, url);
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }
}
