using System.Diagnostics;
using IdentityDirectory.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// OpenTelemetry for every host (silo, gateway, both): metrics, traces and logs exported over OTLP once
/// <see cref="OtlpEndpointSetting"/> is set (as an environment variable or any other setting), with the other
/// standard <c>OTEL_*</c> settings (protocol, headers, metric export interval, service name); and the metrics as
/// a Prometheus scrape endpoint at <see cref="PrometheusPath"/> once <see cref="PrometheusSetting"/> is true.
/// With neither, nothing listens, so requests pay for no instrument and no trace (docs/operations.md).
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string PrometheusSetting = "Telemetry:Prometheus";
    public const string PrometheusPath = "/metrics";
    private const string SamplerSetting = "OTEL_TRACES_SAMPLER";
    private const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    /// <summary>
    /// The share of traces kept unless <see cref="SamplerSetting"/> says otherwise. Tracing every request cost
    /// gets a fifth of their rate and sent the collector 12 MB/s at 16 clients (bench/README.md).
    /// </summary>
    private const double DefaultTraceRatio = 0.05;

    private static readonly string[] Meters =
    [
        DirectoryMeter.Name,
        "Microsoft.Orleans", // grain calls, activations, messaging
        "Microsoft.AspNetCore.Hosting", // http.server.request.duration, by route and status
        "Microsoft.AspNetCore.Server.Kestrel",
        "Npgsql", // connection pool use and command durations of the PostgreSQL store and cluster tables
    ];

    private static readonly string[] TraceSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Whether traces are exported, so that Orleans must carry them across grain calls.</summary>
    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    private static bool ServesPrometheus(IConfiguration configuration) => configuration.GetValue(PrometheusSetting, false);

    public static WebApplicationBuilder AddDirectoryTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = IsEnabled(builder.Configuration);
        var prometheus = ServesPrometheus(builder.Configuration);
        if (!otlp && !prometheus)
            return builder;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration[ServiceNameSetting]))
                    resource.AddService("identity-directory");
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (prometheus)
                    metrics.AddPrometheusExporter();
            });
        if (!otlp)
            return builder;
        telemetry
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.EnrichWithHttpResponse = RedactSessionIds).AddSource(TraceSources).AddNpgsql();
                if (string.IsNullOrWhiteSpace(builder.Configuration[SamplerSetting]))
                    tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(DefaultTraceRatio)));
            })
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, when <see cref="PrometheusSetting"/> is on; it needs no credentials, so expose it to the monitoring network only.</summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        if (ServesPrometheus(app.Configuration))
            app.MapPrometheusScrapingEndpoint(PrometheusPath);
        return app;
    }

    /// <summary>A portal session id is a credential (S-2): the span keeps the route, never the id in the path.</summary>
    private static void RedactSessionIds(Activity activity, HttpResponse response)
    {
        var request = response.HttpContext.Request;
        if (request.RouteValues["sessionId"] is string sessionId && request.Path.Value is { } path)
            activity.SetTag("url.path", path.Replace(sessionId, "{sessionId}", StringComparison.Ordinal));
    }
}
