using IdentityDirectory.Scim;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Directory;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSpec")]
public sealed record TenantSpec(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] IdentitySource Source,
    [property: Id(2)] string? ExternalIdpName = null);

/// <summary>Whether deleting a user or group of <see cref="Partition"/> keeps its assignments (I-2); no partition when the tenant is gone.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.DeletionRule")]
public sealed record DeletionRule([property: Id(0)] string? Partition, [property: Id(1)] bool KeepsAssignments);

[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string IdentityStoreId,
    [property: Id(3)] IdentitySource Source,
    [property: Id(4)] bool ProvisioningEnabled,
    [property: Id(5)] IReadOnlyList<string> TokenIds,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string? ExternalIdpName = null);

/// <summary>The endpoint and first token, returned once when provisioning is enabled (T-1).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ProvisioningGrant")]
public sealed record ProvisioningGrant(
    [property: Id(0)] string ScimEndpoint,
    [property: Id(1)] string Token)
{
    /// <summary>A tenant's SCIM endpoint under the product's public base URL (T-1).</summary>
    public static string EndpointOf(string publicBaseUrl, string tenantId) => $"{publicBaseUrl.TrimEnd('/')}/{tenantId}/scim/v2";
}

/// <summary>A token as the operator sees it (T-6, T-8); the secret is never part of it.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenView")]
public sealed record TokenView(
    [property: Id(0)] string TokenId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset? LastUsedAt,
    [property: Id(4)] int DaysRemaining,
    [property: Id(5)] ReminderCadence ReminderCadence,
    [property: Id(6)] bool Expired);

/// <summary>The tenant's tokens and whether the console-style reminder shows (T-9).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TokenOverview")]
public sealed record TokenOverview(
    [property: Id(0)] IReadOnlyList<TokenView> Tokens,
    [property: Id(1)] bool Reminder);

/// <summary>A tenant as the operator's list shows it: how many users and groups it holds and whether a token needs rotation (T-9).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantSummary")]
public sealed record TenantSummary(
    [property: Id(0)] TenantInfo Tenant,
    [property: Id(1)] int Users,
    [property: Id(2)] int Groups,
    [property: Id(3)] bool TokenReminder);

/// <summary>One tenant's directory, keyed by tenant id: the authority for tenant-wide switches.</summary>
public interface IDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant (O-2); 409 when it exists.</summary>
    Task<TenantInfo> CreateAsync(TenantSpec spec);

    /// <summary>The tenant, or null when there is none.</summary>
    Task<TenantInfo?> GetAsync();

    /// <summary>The tenant with its user and group counts and its token reminder (T-9), or null when there is none.</summary>
    Task<TenantSummary?> SummarizeAsync();

    /// <summary>Turns automatic provisioning on and issues the first token (T-1, T-3, I-9).</summary>
    Task<ProvisioningGrant> EnableProvisioningAsync(string publicBaseUrl);

    /// <summary>Issues another token (T-2..T-4).</summary>
    Task<string> CreateTokenAsync();

    /// <summary>The tokens with creation, expiry, last use, days remaining and reminder cadence (T-6, T-8, T-9).</summary>
    Task<TokenOverview> ListTokensAsync();

    /// <summary>Revokes one token at once; the other keeps working (T-6).</summary>
    Task DeleteTokenAsync(string tokenId);

    /// <summary>Turns automatic provisioning off; refused while any token exists (T-7).</summary>
    Task DisableProvisioningAsync();

    /// <summary>
    /// Deletes the tenant with all its data and tokens (O-2): from the moment this returns, every caller
    /// finds it gone (admin 404, SCIM 401, portal 404); its rows are purged in the background in small
    /// transactions, so that a tenant of any size does not hold up the other tenants' writes.
    /// </summary>
    Task DeleteAsync();

    /// <summary>
    /// Purges one batch of what is due: the rows of the deleted tenant, else those of a retired
    /// directory whose sessions can no longer need it (I-8, S-2). True once nothing due is left for now;
    /// a deleted tenant stays deleting, swept again at each reminder tick, until
    /// the straggler window (DirectoryGrain.StragglerWindow) after its deletion.
    /// </summary>
    Task<bool> PurgeAsync();

    /// <summary>Goes on purging, one batch per grain turn, until nothing due is left; the purge reminders start it.</summary>
    [Orleans.Concurrency.OneWay]
    Task ContinuePurgeAsync();

    /// <summary>
    /// Changes the identity source (I-1, I-3..I-6, I-9, I-10): a change that deletes users, groups and
    /// assignments retires the whole directory at once and purges it in the background (I-8). A
    /// repeat of the same change is a no-op.
    /// </summary>
    [ResponseTimeout("00:00:30")] // I-4 marks every user of the directory in one write (docs/decisions.md, Cluster mode)
    Task<TenantInfo> ChangeIdentitySourceAsync(IdentitySource source, string? externalIdpName);

    /// <summary>Whether the user must get an admin-forced password reset after a switch to IdentityCenter (I-4).</summary>
    Task<bool> PasswordResetRequiredAsync(string userId);

    /// <summary>When the given partition was retired by an identity-source change, or null while it is live.</summary>
    Task<DateTimeOffset?> PartitionRetiredAtAsync(string partition);

    /// <summary>The partition of the tenant's live directory, which keys its resource grains and store rows.</summary>
    Task<string> GetPartitionAsync();

    /// <summary>The tenant's settings in force (O-3).</summary>
    Task<TenantSettings> GetSettingsAsync();

    /// <summary>
    /// Changes settings: wire profile aws or rfc (the directory's data is the same under both) with the rfc profile's PATCH
    /// answer and Bulk switch, session duration 15 minutes to 90 days, quotas and rates ≥ 0 (0 rate = off).
    /// </summary>
    Task<TenantSettings> UpdateSettingsAsync(TenantSettingsChange change);

    /// <summary>Whether deleting a user or group of the current partition keeps its assignments: only under ActiveDirectory (I-2).</summary>
    Task<DeletionRule> GetDeletionRuleAsync();

    /// <summary>
    /// Applies a manual (admin API) write of a user, group or membership, only while automatic provisioning is
    /// off (O-4, R-AWS-3): checked and applied in one turn of the directory, so provisioning cannot be enabled
    /// in between. Returns the resource written, or null for deletes and membership changes.
    /// </summary>
    Task<ScimJson?> ApplyManualChangeAsync(ManualChange change);

    /// <summary>The tenant's audit records in order (O-5).</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long after, int count);

    /// <summary>The tenant's health events in order, after position <paramref name="after"/> (T-8).</summary>
    Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(long after, int count);

    /// <summary>The tenant's audit records newest first, before position <paramref name="before"/> (O-5).</summary>
    Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(long before, int count);

    /// <summary>The tenant's health events newest first, before position <paramref name="before"/> (T-8).</summary>
    Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(long before, int count);
}
