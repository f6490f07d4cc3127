using IdentityDirectory.Throttling;

namespace IdentityDirectory.Directory;

/// <summary>A tenant's settings (O-3), as in force: stored values over the cluster defaults.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] string Profile,
    [property: Id(1)] TimeSpan SessionDuration,
    [property: Id(2)] int UserQuota,
    [property: Id(3)] int GroupQuota,
    [property: Id(4)] double ReadsPerSecond,
    [property: Id(5)] double WritesPerSecond,
    [property: Id(6)] double MembershipChangesPerSecond)
{
    public TenantRates Rates => new(ReadsPerSecond, WritesPerSecond, MembershipChangesPerSecond);
}

/// <summary>A change of settings; null leaves a setting as it is.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSettingsChange")]
public sealed record TenantSettingsChange(
    [property: Id(0)] string? Profile = null,
    [property: Id(1)] TimeSpan? SessionDuration = null,
    [property: Id(2)] int? UserQuota = null,
    [property: Id(3)] int? GroupQuota = null,
    [property: Id(4)] double? ReadsPerSecond = null,
    [property: Id(5)] double? WritesPerSecond = null,
    [property: Id(6)] double? MembershipChangesPerSecond = null);
