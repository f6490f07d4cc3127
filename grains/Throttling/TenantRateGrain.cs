using IdentityDirectory.Directory;
using IdentityDirectory.Telemetry;

namespace IdentityDirectory.Throttling;

/// <remarks>
/// The single budget of a tenant, whichever gateway its requests come through. Should the silo holding it
/// die, its successor starts with full buckets: a tenant can then get at most one more second of its rates.
/// </remarks>
public sealed class TenantRateGrain(TimeProvider time, DirectoryMetrics metrics) : Grain, ITenantRateGrain
{
    private static readonly RateKind[] Kinds = Enum.GetValues<RateKind>();
    private readonly TokenBucket?[] _buckets = new TokenBucket?[Kinds.Length];
    private bool _applied;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<TimeSpan?> TryTakeAsync(RateKind kind, int count = 1)
    {
        if (!_applied)
            Apply((await GrainFactory.Reference<IDirectoryGrain>(TenantId).GetSettingsAsync()).Rates);
        if (_buckets[(int)kind] is not { } bucket || bucket.TryTake(count, out var retryAfter))
            return null;
        metrics.Throttled(TenantId, kind switch { RateKind.Read => "read", RateKind.Write => "write", _ => "membership" });
        return retryAfter;
    }

    public Task ApplyAsync(TenantRates rates)
    {
        Apply(rates);
        return Task.CompletedTask;
    }

    /// <summary>Keeps a bucket whose rate did not change, so applying the same settings again hands out no fresh, full bucket.</summary>
    private void Apply(TenantRates rates)
    {
        foreach (var kind in Kinds)
        {
            var rate = rates.Of(kind);
            if ((_buckets[(int)kind]?.Rate ?? 0) != rate)
                _buckets[(int)kind] = rate > 0 ? new TokenBucket(rate, time) : null;
        }
        _applied = true;
    }
}
