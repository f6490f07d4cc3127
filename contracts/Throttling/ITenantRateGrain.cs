namespace IdentityDirectory.Throttling;

/// <summary>What a SCIM request spends of its tenant's rate limits (R-GEN-7).</summary>
public enum RateKind { Read, Write, MembershipChange }

/// <summary>
/// A tenant's SCIM rate limits (R-GEN-7, O-3), keyed by tenant id: one budget per tenant, however many
/// gateways its requests come through, so two gateways together stay within the tenant's rates.
/// </summary>
public interface ITenantRateGrain : IGrainWithStringKey
{
    /// <summary>Takes <paramref name="count"/> of the kind's budget, or none: null when allowed, else how long to wait.</summary>
    Task<TimeSpan?> TryTakeAsync(RateKind kind, int count = 1);

    /// <summary>The tenant's settings changed (O-3): the new rates apply from now on.</summary>
    /// <remarks>Interleaves: the directory calls it while a budget check may be waiting for the directory's settings.</remarks>
    [Orleans.Concurrency.AlwaysInterleave]
    Task ApplyAsync(TenantRates rates);
}

/// <summary>A tenant's rates per second; 0 = no limit.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantRates")]
public sealed record TenantRates(
    [property: Id(0)] double ReadsPerSecond,
    [property: Id(1)] double WritesPerSecond,
    [property: Id(2)] double MembershipChangesPerSecond)
{
    public bool Unlimited => ReadsPerSecond == 0 && WritesPerSecond == 0 && MembershipChangesPerSecond == 0;

    public double Of(RateKind kind) => kind switch
    {
        RateKind.Read => ReadsPerSecond,
        RateKind.Write => WritesPerSecond,
        _ => MembershipChangesPerSecond,
    };
}
