using System.Diagnostics;
using IdentityDirectory.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// OpenTelemetry metrics, traces and logs, exported over OTLP once <see cref="OtlpEndpointSetting"/> is set (as an
/// environment variable or any other setting); the other standard <c>OTEL_*</c> settings apply as well
/// (protocol, headers, metric export interval, service name). Without an endpoint nothing listens, so
/// requests pay for no instrument and no trace (docs/operations.md).
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string SamplerSetting = "OTEL_TRACES_SAMPLER";
    private const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    /// <summary>
    /// The share of traces kept unless <see cref="SamplerSetting"/> says otherwise. Tracing every request cost
    /// gets a fifth of their rate and sent the collector 12 MB/s at 16 clients (bench/README.md).
    /// </summary>
    private const double DefaultTraceRatio = 0.05;

    private static readonly string[] Meters =
    [
        DirectoryMetrics.MeterName,
        "Microsoft.Orleans", // grain calls, activations, messaging
        "Microsoft.AspNetCore.Hosting", // http.server.request.duration, by route and status
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    private static readonly string[] TraceSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    public static WebApplicationBuilder AddDirectoryTelemetry(this WebApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
            return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration[ServiceNameSetting]))
                    resource.AddService("identity-directory");
            })
            .WithMetrics(metrics => metrics.AddMeter(Meters))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.EnrichWithHttpResponse = RedactSessionIds).AddSource(TraceSources);
                if (string.IsNullOrWhiteSpace(builder.Configuration[SamplerSetting]))
                    tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(DefaultTraceRatio)));
            })
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>A portal session id is a credential (S-2): the span keeps the route, never the id in the path.</summary>
    private static void RedactSessionIds(Activity activity, HttpResponse response)
    {
        var request = response.HttpContext.Request;
        if (request.RouteValues["sessionId"] is string sessionId && request.Path.Value is { } path)
            activity.SetTag("url.path", path.Replace(sessionId, "{sessionId}", StringComparison.Ordinal));
    }
}
