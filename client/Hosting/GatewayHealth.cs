using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// Health of a gateway that runs as a client of the cluster: <c>/healthz</c> answers while the process serves
/// HTTP; <c>/readyz</c> answers 200 once the host has started and while the gateway is connected to the
/// cluster (its subscription for token revocations is confirmed and recent), else 503 with the reason.
/// A silo's process, which hosts a gateway too, answers with its own checks (the store and the silo).
/// </summary>
public static class GatewayHealth
{
    public static WebApplication MapGatewayHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (IHostApplicationLifetime lifetime, ClusterSubscription cluster) =>
            Problem(lifetime, cluster) is { } problem
                ? Results.Text($"not ready: {problem}", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready"));
        return app;
    }

    private static string? Problem(IHostApplicationLifetime lifetime, ClusterSubscription cluster) =>
        !lifetime.ApplicationStarted.IsCancellationRequested ? "starting"
        : lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
        : !cluster.IsConnected ? "not connected to the cluster"
        : null;
}
