using IdentityDirectory.Scim;
using IdentityDirectory.Throttling;

namespace IdentityDirectory.Directory;

/// <summary>A tenant's settings (O-3), as in force: stored values over the cluster defaults.</summary>
/// <param name="PatchNoContent">R-PAT-3/4 [RFC]: user and group PATCH answer 204 rather than 200 with the resource.</param>
/// <param name="BulkEnabled">R-BULK-1 [RFC]: <c>POST /Bulk</c> is served (off by default).</param>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] string Profile,
    [property: Id(1)] TimeSpan SessionDuration,
    [property: Id(2)] int UserQuota,
    [property: Id(3)] int GroupQuota,
    [property: Id(4)] double ReadsPerSecond,
    [property: Id(5)] double WritesPerSecond,
    [property: Id(6)] double MembershipChangesPerSecond,
    [property: Id(7)] bool PatchNoContent = false,
    [property: Id(8)] bool BulkEnabled = false)
{
    public TenantRates Rates => new(ReadsPerSecond, WritesPerSecond, MembershipChangesPerSecond);

    /// <summary>The wire profile a SCIM request of this tenant is served in.</summary>
    public WireProfile ScimProfile() => WireProfile.For(Profile, new TenantProfileOptions(PatchNoContent, BulkEnabled));
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
    [property: Id(6)] double? MembershipChangesPerSecond = null,
    [property: Id(7)] bool? PatchNoContent = null,
    [property: Id(8)] bool? BulkEnabled = null);
