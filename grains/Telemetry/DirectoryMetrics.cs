using System.Diagnostics;
using System.Diagnostics.Metrics;
using IdentityDirectory.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityDirectory.Telemetry;

/// <summary>
/// The product's own instruments, on the meter <see cref="MeterName"/> (docs/operations.md lists them
/// with what an operator reads from each). Requests and grain calls are measured by ASP.NET Core and
/// Orleans on their own meters. With nobody listening, recording costs a check of
/// <see cref="Instrument.Enabled"/>, so the hot paths pay nothing when telemetry is off.
/// </summary>
public sealed class DirectoryMetrics
{
    public const string MeterName = DirectoryMeter.Name;

    private readonly Histogram<double> _storeDuration;
    private readonly Histogram<int> _commitWrites;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _expiredTokensPresented;
    private readonly Counter<long> _expiryNotifications;

    public DirectoryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _storeDuration = meter.CreateHistogram<double>("identity_directory.store.duration", "s",
            "Time of a directory store call, from the call to its answer; a write's includes its wait for the writer and its commit.");
        _commitWrites = meter.CreateHistogram<int>("identity_directory.store.commit.writes", "{write}",
            "Writes the store's writer took into one transaction (group commit), those that failed and rolled back alone included.");
        _throttled = meter.CreateCounter<long>("identity_directory.scim.throttled", "{request}",
            "SCIM requests refused with 429 by a tenant's rate limit.");
        _expiredTokensPresented = meter.CreateCounter<long>("identity_directory.scim_token.expired_presented", "{request}",
            "SCIM requests refused because their token, with the right secret, has expired.");
        _expiryNotifications = meter.CreateCounter<long>("identity_directory.scim_token.expiry_notifications", "{event}",
            "Token expiry notifications emitted.");
    }

    /// <summary>Runs a directory store call, timed by its operation and outcome when anybody listens.</summary>
    public async Task<T> TimeStoreCallAsync<T>(string operation, Func<Task<T>> call)
    {
        var started = _storeDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            var result = await call();
            StoreCallEnded(started, operation, null);
            return result;
        }
        catch (Exception e)
        {
            StoreCallEnded(started, operation, e);
            throw;
        }
    }

    /// <param name="started">0 when nobody listened as the call started (then it is not timed).</param>
    /// <param name="failure">null when the call succeeded.</param>
    private void StoreCallEnded(long started, string operation, Exception? failure)
    {
        if (started == 0)
            return;
        _storeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("db.operation.name", operation),
            new KeyValuePair<string, object?>("outcome", failure switch
            {
                null => "ok",
                StoreRefusalException => "refused", // a 409 or a quota: the directory's rules at work, not a fault
                _ => "error",
            }));
    }

    public void Committed(int writes) => _commitWrites.Record(writes);

    /// <param name="kind">read, write, or membership (the group membership-change budget).</param>
    public void Throttled(string tenantId, string kind) =>
        _throttled.Add(1, new KeyValuePair<string, object?>("tenant.id", tenantId), new KeyValuePair<string, object?>("kind", kind));

    public void ExpiredTokenPresented(string tenantId) =>
        _expiredTokensPresented.Add(1, new KeyValuePair<string, object?>("tenant.id", tenantId));

    public void ExpiryNotified(string tenantId, int daysRemaining) =>
        _expiryNotifications.Add(1, new KeyValuePair<string, object?>("tenant.id", tenantId),
            new KeyValuePair<string, object?>("days_remaining", daysRemaining));
}

public static class DirectoryMetricsServiceExtensions
{
    /// <summary>The product's instruments, once per process: the silo's grains and store and the gateway's throttle share them.</summary>
    public static IServiceCollection AddDirectoryMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<DirectoryMetrics>();
        return services;
    }
}
