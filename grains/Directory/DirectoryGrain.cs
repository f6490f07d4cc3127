using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Throttling;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Directory;

public sealed class DirectoryGrain(
    [PersistentState("directory", DirectoryStorage.Name)] IPersistentState<DirectoryState> directory,
    IDirectoryStore store,
    IOptions<DirectoryOptions> defaults,
    TimeProvider time) : Grain, IDirectoryGrain, IRemindable
{
    private const string PurgeReminder = "purge-retired";
    private const string DeletionReminder = "purge-deleted";

    /// <summary>
    /// How long after a tenant's deletion a write admitted before it may still land: a gateway that could not
    /// confirm the token revocation accepts the token for up to <see cref="TokenCacheTimes.Lease"/>, and a grain
    /// call still runs after its caller gave up (30 s). Creates are refused by the store's fence
    /// (<see cref="IDirectoryStore.WithdrawTenantAsync"/>); for any other late write, every reminder tick
    /// until then sweeps the tenant's rows again, so it leaves no row behind (O-2).
    /// </summary>
    public static readonly TimeSpan StragglerWindow = TimeSpan.FromMinutes(5);

    /// <summary>When the running purge sent its next batch; null while no purge runs in this activation.</summary>
    private DateTimeOffset? _purgeSentAt;
    public const int MaxTokens = 2;

    private string TenantId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (directory.State.Deleting || DueRetiredGeneration() is not null)
            StartPurge(); // a purge a restart cut short goes on at the first call, or at the reminder's next tick
        return Task.CompletedTask;
    }

    private DirectoryPartition Partition => new(TenantId, directory.State.Generation);

    public async Task<TenantInfo> CreateAsync(TenantSpec spec)
    {
        if (directory.State.Exists)
            throw new ScimException(409, ScimTypes.Uniqueness, "The tenant already exists.");
        if (directory.State.Deleting)
            throw new ScimException(409, null, "A tenant with this id is still being deleted.");
        directory.State = new DirectoryState
        {
            Exists = true,
            DisplayName = spec.DisplayName,
            IdentityStoreId = NewIdentityStoreId(),
            Source = spec.Source,
            ExternalIdpName = spec.ExternalIdpName,
            CreatedAt = time.GetUtcNow(),
        };
        await directory.WriteStateAsync();
        await store.RegisterTenantAsync(TenantId, directory.State.CreatedAt);
        await store.SetPortalAsync(directory.State.IdentityStoreId, TenantId);
        await AuditAsync("CreateTenant", $"Tenant/{TenantId}");
        return Info();
    }

    public Task<TenantInfo?> GetAsync() => Task.FromResult(directory.State.Exists ? Info() : null);

    public async Task<TenantSummary?> SummarizeAsync()
    {
        if (!directory.State.Exists)
            return null;
        var users = await store.QueryUsersAsync(Partition, ResourceQuery.All, CountOnly);
        var groups = await store.QueryGroupsAsync(Partition, ResourceQuery.All, CountOnly);
        var tokens = await ListTokensAsync();
        return new TenantSummary(Info(), users.Total ?? 0, groups.Total ?? 0, tokens.Reminder);
    }

    /// <summary>A page of no resources, which still answers the total: the tenant's usage counter for an unfiltered query.</summary>
    private static readonly PageRequest CountOnly = new(0, 1, CursorMode: false, After: 0);

    public async Task<ProvisioningGrant> EnableProvisioningAsync(string publicBaseUrl)
    {
        var state = Existing();
        if (state.Source != IdentitySource.ExternalIdp)
            throw new ScimException(409, null, "Automatic provisioning requires the ExternalIdp identity source.");
        if (state.ProvisioningEnabled)
            throw new ScimException(409, null, "Automatic provisioning is already enabled.");
        state.ProvisioningEnabled = true;
        await directory.WriteStateAsync();
        await AuditAsync("EnableProvisioning", $"Tenant/{TenantId}");
        var token = await CreateTokenAsync();
        return new ProvisioningGrant(ProvisioningGrant.EndpointOf(publicBaseUrl, TenantId), token);
    }

    public async Task<string> CreateTokenAsync()
    {
        var state = Existing();
        if (!state.ProvisioningEnabled)
            throw new ScimException(409, null, "Enable automatic provisioning before generating tokens.");
        if (state.TokenIds.Count >= MaxTokens)
            throw new ScimException(409, null, $"A directory holds at most {MaxTokens} tokens; delete one first.");
        var tokenId = Guid.NewGuid().ToString("N");
        state.TokenIds.Add(tokenId);
        await directory.WriteStateAsync();
        var token = await Token(tokenId).IssueAsync(Partition.Key);
        await AuditAsync("CreateToken", $"Token/{tokenId}");
        return token;
    }

    public async Task<TokenOverview> ListTokensAsync()
    {
        var state = Existing();
        var now = time.GetUtcNow();
        var views = new List<TokenView>();
        foreach (var tokenId in state.TokenIds)
        {
            if (await Token(tokenId).DescribeAsync() is not { } info)
                continue;
            var left = info.ExpiresAt - now;
            views.Add(new TokenView(info.TokenId, info.CreatedAt, info.ExpiresAt, info.LastUsedAt,
                Math.Max(0, (int)Math.Ceiling(left.TotalDays)), ExpirySchedule.CadenceAt(left), left < TimeSpan.Zero));
        }

        // T-9: shown once a token is within 90 days of expiry, until no such token is left and no
        // unused or expired token remains.
        var expiring = views.Any(v => v.Expired || v.ExpiresAt - now <= TimeSpan.FromDays(90));
        var reminder = expiring || (state.TokenReminder && views.Any(v => v.Expired || v.LastUsedAt is null));
        if (reminder != state.TokenReminder)
        {
            state.TokenReminder = reminder;
            await directory.WriteStateAsync();
        }
        return new TokenOverview(views, reminder);
    }

    public async Task DeleteTokenAsync(string tokenId)
    {
        var state = Existing();
        if (!state.TokenIds.Contains(tokenId))
            throw ScimException.NotFound($"Token {tokenId} not found.");
        var confirmedEverywhere = await Token(tokenId).RevokeAsync();
        state.TokenIds.Remove(tokenId);
        await directory.WriteStateAsync();
        await AuditAsync("DeleteToken", $"Token/{tokenId}");
        if (!confirmedEverywhere)
            throw new ScimException(503, null,
                $"The token is deleted, but not every gateway confirmed it at once; those refuse it within {TokenCacheTimes.Lease.TotalSeconds:0} seconds.");
    }

    public async Task DisableProvisioningAsync()
    {
        var state = Existing();
        if (state.TokenIds.Count > 0)
            throw new ScimException(409, null, "Delete the SCIM tokens before disabling automatic provisioning.");
        state.ProvisioningEnabled = false;
        await directory.WriteStateAsync();
        await AuditAsync("DisableProvisioning", $"Tenant/{TenantId}");
    }

    public async Task DeleteAsync()
    {
        var state = Existing();
        // The reminder first: whatever fails after it, its next tick carries the deletion through.
        await this.RegisterOrUpdateReminder(DeletionReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        // The tenant's purge covers every generation, retired ones included; its end removes both reminders.
        directory.State = new DirectoryState
        {
            Deleting = true, DeletedAt = time.GetUtcNow(), TokenIds = state.TokenIds, IdentityStoreId = state.IdentityStoreId,
        };
        await directory.WriteStateAsync(); // from here on the tenant is gone for the admin API
        await WithdrawAsync();
        StartPurge();
    }

    /// <summary>Revokes a deleted tenant's tokens and takes it out of the operator's list and the portal map; idempotent.</summary>
    private async Task WithdrawAsync()
    {
        var state = directory.State;
        if (state.TokenIds.Count == 0 && state.IdentityStoreId.Length == 0)
            return;
        foreach (var tokenId in state.TokenIds)
            await Token(tokenId).RevokeAsync();
        await store.WithdrawTenantAsync(TenantId);
        state.TokenIds.Clear();
        state.IdentityStoreId = "";
        await directory.WriteStateAsync();
    }

    public async Task<bool> PurgeAsync()
    {
        var state = directory.State;
        if (state.Deleting)
        {
            await WithdrawAsync();
            if (await store.PurgeTenantAsync(TenantId, defaults.Value.PurgeBatch))
                return false;
            if (time.GetUtcNow() - state.DeletedAt < StragglerWindow)
                return true; // nothing left for now; the reminder's next tick sweeps again
            await directory.ClearStateAsync();
        }
        else if (DueRetiredGeneration() is { } generation)
        {
            if (await store.PurgePartitionAsync(new DirectoryPartition(TenantId, generation), defaults.Value.PurgeBatch))
                return false;
            state.PendingPurge.Remove(generation);
            await directory.WriteStateAsync();
            if (DueRetiredGeneration() is not null)
                return false;
        }
        // Reminders whose work is done go, also one that outlived its purge (a stop in between).
        if (!directory.State.Deleting && await this.GetReminder(DeletionReminder) is { } deletion)
            await this.UnregisterReminder(deletion);
        if (directory.State.PendingPurge.Count == 0 && await this.GetReminder(PurgeReminder) is { } retired)
            await this.UnregisterReminder(retired);
        return true;
    }

    /// <summary>A retired generation whose sessions can no longer need it (S-2, S-5), or null.</summary>
    private int? DueRetiredGeneration()
    {
        var now = time.GetUtcNow();
        return directory.State.PendingPurge
            .Where(generation => now - directory.State.RetiredAt[generation] >= defaults.Value.RetiredPurgeDelay)
            .Select(generation => (int?)generation)
            .FirstOrDefault();
    }

    public async Task ContinuePurgeAsync()
    {
        _purgeSentAt = null; // should this batch fail, the reminder starts the purge again
        if (!await PurgeAsync())
            StartPurge();
    }

    /// <summary>
    /// Sends the next batch as a message to itself rather than looping, so calls to this tenant are
    /// answered between batches; a reminder tick while a purge runs does not start a second one,
    /// unless the purge has sent nothing for two minutes (its message was lost).
    /// </summary>
    private void StartPurge()
    {
        var now = time.GetUtcNow();
        if (_purgeSentAt is { } sent && now - sent < TimeSpan.FromMinutes(2))
            return;
        _purgeSentAt = now;
        this.AsReference<IDirectoryGrain>().ContinuePurgeAsync().Ignore();
    }

    public Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(long after, int count)
    {
        Existing();
        return store.ListEventsAsync(TenantId, after, count);
    }

    public Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(long before, int count)
    {
        Existing();
        return store.ListRecentEventsAsync(TenantId, before, count);
    }

    public Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(long before, int count)
    {
        Existing();
        return store.ListRecentAuditAsync(TenantId, before, count);
    }

    public async Task<TenantInfo> ChangeIdentitySourceAsync(IdentitySource source, string? externalIdpName)
    {
        var state = Existing();
        var from = state.Source;
        if (source == IdentitySource.ExternalIdp && string.IsNullOrWhiteSpace(externalIdpName))
            throw ScimException.InvalidValue("An external identity provider needs a display name.");
        if (source == from && (source != IdentitySource.ExternalIdp || externalIdpName == state.ExternalIdpName))
            return Info(); // I-8: a repeat is a no-op

        var wipes = IsPair(from, source, IdentitySource.IdentityCenter, IdentitySource.ActiveDirectory)
            || IsPair(from, source, IdentitySource.ExternalIdp, IdentitySource.ActiveDirectory);
        var newStore = IsPair(from, source, IdentitySource.IdentityCenter, IdentitySource.ActiveDirectory);

        if (from == IdentitySource.ExternalIdp && source != IdentitySource.ExternalIdp)
        {
            foreach (var tokenId in state.TokenIds)
                await Token(tokenId).RevokeAsync(); // I-9: provisioning belongs to the external IdP
            state.TokenIds.Clear();
            state.ProvisioningEnabled = false;
        }
        if (from == IdentitySource.ExternalIdp && source == IdentitySource.IdentityCenter)
            await store.RequirePasswordResetAsync(Partition); // I-4: nobody has a directory password yet

        var oldStoreId = state.IdentityStoreId;
        var newStoreId = newStore ? NewIdentityStoreId() : oldStoreId;
        if (newStore)
            await store.SetPortalAsync(newStoreId, TenantId);
        if (wipes)
        {
            // Quotas are counted per directory; the new one starts with the tenant's (O-3).
            var settings = Effective(state.Settings);
            await store.SetQuotasAsync(new DirectoryPartition(TenantId, state.Generation + 1), settings.UserQuota, settings.GroupQuota);
        }

        // The directory's state changes only after the store calls above, so a failing one leaves it as it was.
        state.IdentityStoreId = newStoreId;
        if (wipes)
        {
            state.RetiredAt[state.Generation] = time.GetUtcNow();
            state.PendingPurge.Add(state.Generation);
            state.Generation++;
        }
        state.Source = source;
        state.ExternalIdpName = source == IdentitySource.ExternalIdp ? externalIdpName : null;
        await directory.WriteStateAsync(); // the flip: from here on every request sees the new directory

        if (newStore)
            await store.RemovePortalAsync(oldStoreId); // I-10: the old portal URL answers 404
        if (wipes)
            await this.RegisterOrUpdateReminder(PurgeReminder, defaults.Value.RetiredPurgeDelay + TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        await AuditAsync($"ChangeIdentitySource:{from}->{source}", $"Tenant/{TenantId}");
        return Info();
    }

    public Task<bool> PasswordResetRequiredAsync(string userId)
    {
        Existing();
        return store.PasswordResetRequiredAsync(Partition, userId);
    }

    public Task<DateTimeOffset?> PartitionRetiredAtAsync(string partition)
    {
        var generation = directory.State.RetiredAt.Keys.FirstOrDefault(g => new DirectoryPartition(TenantId, g).Key == partition, -1);
        return Task.FromResult<DateTimeOffset?>(generation >= 0 ? directory.State.RetiredAt[generation] : null);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName is DeletionReminder or PurgeReminder)
            StartPurge(); // also clears a reminder that outlived its purge
        return Task.CompletedTask;
    }

    private static bool IsPair(IdentitySource from, IdentitySource to, IdentitySource a, IdentitySource b) =>
        (from == a && to == b) || (from == b && to == a);

    public Task<string> GetPartitionAsync() => Task.FromResult(new DirectoryPartition(TenantId, Existing().Generation).Key);

    public Task<TenantSettings> GetSettingsAsync() => Task.FromResult(Effective(Existing().Settings));

    public async Task<TenantSettings> UpdateSettingsAsync(TenantSettingsChange change)
    {
        var state = Existing();
        if (change.Profile is { } profile && !WireProfile.Names.Contains(profile))
            throw ScimException.InvalidValue($"The wire profile must be one of: {string.Join(", ", WireProfile.Names)}.");
        if (change.SessionDuration is { } duration && (duration < TimeSpan.FromMinutes(15) || duration > TimeSpan.FromDays(90)))
            throw ScimException.InvalidValue("The session duration must be from 15 minutes to 90 days.");
        if (change.UserQuota < 0 || change.GroupQuota < 0 || !IsRate(change.ReadsPerSecond) || !IsRate(change.WritesPerSecond)
            || !IsRate(change.MembershipChangesPerSecond))
            throw ScimException.InvalidValue("Quotas and rates must be finite and cannot be negative.");
        var stored = state.Settings;
        state.Settings = new TenantSettingsChange(
            change.Profile ?? stored.Profile, change.SessionDuration ?? stored.SessionDuration,
            change.UserQuota ?? stored.UserQuota, change.GroupQuota ?? stored.GroupQuota,
            change.ReadsPerSecond ?? stored.ReadsPerSecond, change.WritesPerSecond ?? stored.WritesPerSecond,
            change.MembershipChangesPerSecond ?? stored.MembershipChangesPerSecond,
            change.PatchNoContent ?? stored.PatchNoContent, change.BulkEnabled ?? stored.BulkEnabled);
        var effective = Effective(state.Settings);
        await store.SetQuotasAsync(Partition, effective.UserQuota, effective.GroupQuota);
        await directory.WriteStateAsync();
        await GrainFactory.Reference<ITenantRateGrain>(TenantId).ApplyAsync(effective.Rates);
        // Gateways read settings again within half a minute anyway; told now, they apply the change at once.
        await GrainFactory.Reference<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).ForgetTenantEverywhereAsync(TenantId);
        await AuditAsync("UpdateSettings", $"Tenant/{TenantId}");
        return effective;
    }

    /// <summary>Unset, or a rate a token bucket can run at (JSON's 1e400 reads as infinity).</summary>
    private static bool IsRate(double? perSecond) => perSecond is not { } rate || (double.IsFinite(rate) && rate >= 0);

    private TenantSettings Effective(TenantSettingsChange stored) => new(
        stored.Profile ?? WireProfile.AwsName,
        stored.SessionDuration ?? defaults.Value.SessionDuration,
        stored.UserQuota ?? defaults.Value.UserQuota,
        stored.GroupQuota ?? defaults.Value.GroupQuota,
        stored.ReadsPerSecond ?? defaults.Value.ReadsPerSecond,
        stored.WritesPerSecond ?? defaults.Value.WritesPerSecond,
        stored.MembershipChangesPerSecond ?? defaults.Value.MembershipChangesPerSecond,
        stored.PatchNoContent ?? false,
        stored.BulkEnabled ?? false);

    public Task<DeletionRule> GetDeletionRuleAsync() => Task.FromResult(directory.State.Exists
        ? new DeletionRule(Partition.Key, directory.State.Source == IdentitySource.ActiveDirectory)
        : new DeletionRule(null, KeepsAssignments: false));

    public async Task<ScimJson?> ApplyManualChangeAsync(ManualChange change)
    {
        if (Existing().ProvisioningEnabled)
            throw new ScimException(409, null, "Automatic provisioning is on: users and groups come from the identity provider.");
        // The write runs within this turn, so provisioning cannot be enabled before it lands; the grains it
        // calls may call back here (deletion rule, settings), which the call chain allows.
        using var reentrancy = RequestContext.AllowCallChainReentrancy();
        var profile = Effective(directory.State.Settings).ScimProfile();
        return await ManualProvisioning.ApplyAsync(GrainFactory, time, Partition.Key, profile, change);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long after, int count)
    {
        Existing();
        return store.ListAuditAsync(TenantId, after, count);
    }

    private Task AuditAsync(string action, string target) => store.AppendAuditAsync(TenantId, AuditContext.Entry(time, action, target));

    private ITokenGrain Token(string tokenId) => GrainFactory.Reference<ITokenGrain>(ResourceKey.Of(TenantId, tokenId));

    private DirectoryState Existing() =>
        directory.State.Exists ? directory.State : throw ScimException.NotFound($"Tenant {TenantId} not found.");

    private TenantInfo Info() => new(TenantId, directory.State.DisplayName, directory.State.IdentityStoreId, directory.State.Source,
        directory.State.ProvisioningEnabled, directory.State.TokenIds.ToList(), directory.State.CreatedAt, directory.State.ExternalIdpName);

    private static string NewIdentityStoreId() => "d-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
