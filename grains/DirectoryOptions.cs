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
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromHours(8);
}
