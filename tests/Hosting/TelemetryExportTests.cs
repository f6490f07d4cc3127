using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// DESIGN §4 (observability): with an OTLP endpoint set, the product exports its metrics (requests, grain
/// calls, store latency, throttles) and traces (requests and the grain calls under them) to it.
/// </summary>
public sealed class TelemetryExportTests(TelemetryExportTests.ExportingProduct product) : IClassFixture<TelemetryExportTests.ExportingProduct>
{
    [Fact]
    public async Task RequestsGrainCallsStoreCallsAndThrottlesReachTheCollector()
    {
        var tenant = await product.CreateTenantAsync();
        var first = await tenant.Client.PostJsonAsync("Users", ScimHttp.User("first@x.com", externalId: "ext-first"));
        var second = await tenant.Client.PostJsonAsync("Users", ScimHttp.User("second@x.com", externalId: "ext-second"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode); // one write a second, on a clock that stands still

        await product.Collector.WaitForAsync("metrics",
            "http.server.request.duration", "orleans-app-requests-latency",
            "identity_directory.store.duration", "InsertUserAsync",
            "identity_directory.store.commit.writes",
            "identity_directory.scim.throttled", tenant.TenantId);
        await product.Collector.WaitForAsync("traces", "/{tenantId}/scim/v2/Users", "IUserGrain");
    }

    public sealed class ExportingProduct : GatewayFixture
    {
        public OtlpReceiver Collector { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            Collector = await OtlpReceiver.StartAsync();
            Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint.ToString();
            Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            Settings["OTEL_METRIC_EXPORT_INTERVAL"] = "100";
            Settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
            Settings["OTEL_TRACES_SAMPLER"] = "always_on"; // the product keeps 5% unless told otherwise
            Settings["Scim:Throttle:WritesPerSecond"] = "1";
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Collector.DisposeAsync();
        }
    }
}
