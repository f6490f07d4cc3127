namespace IdentityDirectory;

/// <summary>
/// Cluster defaults of the tenant settings (O-3): quotas (R-AWS-1), SCIM rate limits per second
/// (R-GEN-7, 0 = off) and session duration. Bound from the sections <c>Directory</c> and <c>Scim:Throttle</c>.
/// </summary>
public sealed class DirectoryOptions
{
    public int UserQuota { get; set; } = 200_000;
    public int GroupQuota { get; set; } = 100_000;
    public double ReadsPerSecond { get; set; } = 40;
    public double WritesPerSecond { get; set; } = 25;

    /// <summary>Membership changes per second in CreateGroup/PatchGroup (R-GEN-7); a 100-member request spends 100.</summary>
    public double MembershipChangesPerSecond { get; set; } = 1_000;
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a directory retired by an identity-source change is kept before its rows are purged.
    /// Its sessions read it for two hours (S-2, S-5); a shorter value is for benchmarks only.
    /// </summary>
    public TimeSpan RetiredPurgeDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Rows deleted per transaction when a retired directory or a deleted tenant is purged: small enough
    /// that the other tenants' writes, queued behind the store's single writer, wait milliseconds at most.
    /// </summary>
    public int PurgeBatch { get; set; } = 500;

    /// <summary>
    /// R-FLT-5: how many users or groups a filter or sort may examine outside the store's indexes (a
    /// <c>co</c>, a <c>not</c>, an attribute without a key column) before it is refused with 400
    /// <c>tooMany</c>. Sized so that such a scan answers within 200 ms (bench/README.md).
    /// </summary>
    public int FilterScanLimit { get; set; } = 20_000;
}
