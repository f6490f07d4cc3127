using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// DESIGN §4 (observability): with an OTLP endpoint set, the product exports its metrics (requests, grain
/// calls, store latency, throttles) and traces (requests and the grain calls under them) to it. The product
/// runs as its own process, as it does in production: in-process, the meters of the other tests' hosts would
/// share its meter names.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task RequestsGrainCallsStoreCallsAndThrottlesReachTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var product = ProductProcess.Start(TestDirectories.New(), ownsDirectory: true,
            "--OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint.ToString(),
            "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL", "100",
            "--OTEL_BSP_SCHEDULE_DELAY", "100",
            "--OTEL_TRACES_SAMPLER", "always_on", // the product keeps 5% unless told otherwise
            "--Scim:Throttle:WritesPerSecond", "1");
        var operatorKey = await product.ReadLineAfterAsync("Operator key: ");
        var endpoint = await product.ReadLineAfterAsync("SCIM endpoint: ");
        var token = await product.ReadLineAfterAsync("SCIM token: ");
        var tenantId = new Uri(endpoint).Segments[1].TrimEnd('/');
        using var scim = ScimHttp.ScimClient(endpoint, token);

        // One write a second: of three sent back to back, the first is created and a later one refused.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await scim.PostJsonAsync("Users", ScimHttp.User($"user{i}@x.com", externalId: $"ext-{i}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        await collector.WaitForAsync("metrics",
            "http.server.request.duration", "orleans-app-requests-latency",
            "identity_directory.store.duration", "InsertUserAsync",
            "identity_directory.store.commit.writes",
            "identity_directory.scim.throttled", tenantId);
        await collector.WaitForAsync("traces", "/{tenantId}/scim/v2/Users", "IUserGrain");

        // A portal session id is a credential too: its check is traced by route, not by id.
        using var portal = ScimHttp.BearerClient(product.BaseAddress.ToString(), operatorKey);
        var identityStoreId = (await (await portal.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK))["identityStoreId"]!.GetValue<string>();
        var session = await (await portal.PostJsonAsync($"/portal/{identityStoreId}/sign-in", new JsonObject { ["userName"] = "user0@x.com" }))
            .ExpectAsync(HttpStatusCode.OK);
        var sessionId = session["sessionId"]!.GetValue<string>();
        await (await portal.GetAsync($"/portal/{identityStoreId}/sessions/{Uri.EscapeDataString(sessionId)}")).ExpectAsync(HttpStatusCode.OK);
        await collector.WaitForAsync("traces", $"/portal/{identityStoreId}/sessions/{{sessionId}}");

        // Rules O-5, T-2: no secret leaves in any export.
        foreach (var secret in new[] { ScimToken.TryParse(token, out _, out var tokenSecret) ? tokenSecret : token, operatorKey, sessionId })
            Assert.False(collector.Holds(secret), "an export holds a secret");
    }
}
