using IdentityDirectory.Store;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// <c>/healthz</c> answers while the process serves HTTP (liveness). <c>/readyz</c> answers 200 only once
/// the host has started (the silo has joined and the gateway listens), until it begins to stop, and while
/// the directory store takes a write through its writer and answers a read; otherwise 503 with the reason.
/// </summary>
public sealed class Readiness(IHostApplicationLifetime lifetime, IDirectoryStore store, TimeProvider time, ILogger<Readiness> logger)
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    /// <returns>Why the product is not ready, or null when it is.</returns>
    public async Task<string?> ProblemAsync()
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
            return "starting";
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return "stopping";
        try
        {
            await store.CheckAsync().WaitAsync(StoreTimeout, time);
            return null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Not ready: the directory store did not take a write and answer a read.");
            return "the directory store does not answer";
        }
    }
}

public static class HealthEndpoints
{
    public static IServiceCollection AddHealthEndpoints(this IServiceCollection services) => services.AddSingleton<Readiness>();

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (Readiness readiness) =>
            await readiness.ProblemAsync() is { } problem
                ? Results.Text($"not ready: {problem}", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready"));
        return app;
    }
}
