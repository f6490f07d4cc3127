using IdentityDirectory.Store;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// <c>/healthz</c> answers while the process serves HTTP (liveness). <c>/readyz</c> answers 200 only once
/// the host has started (the silo has joined and the gateway listens), until it begins to stop, and while
/// the directory store commits a write and answers a read; otherwise 503 with the reason. Probes within
/// <see cref="CheckReuse"/> of a store check share it, so unauthenticated probes cannot load the writer.
/// </summary>
public sealed class Readiness(IHostApplicationLifetime lifetime, IDirectoryStore store, TimeProvider time, ILogger<Readiness> logger)
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CheckReuse = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private (Task<string?> Check, long StartedAt)? _lastCheck;

    /// <returns>Why the product is not ready, or null when it is.</returns>
    public Task<string?> ProblemAsync()
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
            return Task.FromResult<string?>("starting");
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return Task.FromResult<string?>("stopping");
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastCheck is not { } last || time.GetElapsedTime(last.StartedAt, now) >= CheckReuse)
                _lastCheck = last = (CheckStoreAsync(), now);
            return last.Check;
        }
    }

    private async Task<string?> CheckStoreAsync()
    {
        try
        {
            await store.CheckAsync().WaitAsync(StoreTimeout, time);
            return null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Not ready: the directory store did not commit a write and answer a read.");
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
