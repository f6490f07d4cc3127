namespace IdentityDirectory;

/// <summary>Directory-wide limits (R-AWS-1). Bound from configuration section <c>Directory</c>.</summary>
public sealed class DirectoryOptions
{
    public int UserQuota { get; set; } = 200_000;
    public int GroupQuota { get; set; } = 100_000;
}
