using IdentityDirectory.Directory;
using System.Text.Json;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Tokens;

public sealed class TokenGrain(
    [PersistentState("token", DirectoryStorage.Name)] IPersistentState<TokenState> token,
    IDirectoryStore store,
    TimeProvider time,
    DirectoryMetrics metrics,
    IOptions<TokenExpiryOptions> expiry,
    ILogger<TokenGrain> logger) : Grain, ITokenGrain, IRemindable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    public const string ExpiryEventType = "SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION";
    private const string ExpiryReminder = "expiry-notifications";

    /// <summary>When the reminder first looks at the schedule, unless its period (<see cref="TokenExpiryOptions"/>) is shorter.</summary>
    private static readonly TimeSpan FirstCheck = TimeSpan.FromMinutes(1);

    /// <summary>Last use is kept to this precision, so validating a token is not a storage write per request.</summary>
    private static readonly TimeSpan LastUseGranularity = TimeSpan.FromHours(1);

    private string TenantId => ResourceKey.Parse(this.GetPrimaryKeyString()).TenantId;

    private string TokenId => ResourceKey.Parse(this.GetPrimaryKeyString()).Id;

    public async Task<string> IssueAsync(string partition)
    {
        if (token.State.Exists)
            throw new ScimException(409, null, "The token was already issued.");
        var secret = SecretHasher.NewSecret();
        var (salt, hash) = SecretHasher.Hash(secret);
        var now = time.GetUtcNow();
        token.State = new TokenState { Salt = salt, Hash = hash, CreatedAt = now, ExpiresAt = now + Lifetime, Partition = partition };
        await token.WriteStateAsync();
        var period = expiry.Value.CheckPeriod; // the schedule itself is computed from stored instants (O-6)
        await this.RegisterOrUpdateReminder(ExpiryReminder, period < FirstCheck ? period : FirstCheck, period);
        return ScimToken.Format(TokenId, secret);
    }

    public async Task<TokenGrant?> ValidateAsync(string secret)
    {
        var state = token.State;
        if (!state.Exists || !SecretHasher.Verify(secret, state.Salt, state.Hash))
            return null;
        var now = time.GetUtcNow();
        if (now > state.ExpiresAt)
        {
            metrics.ExpiredTokenPresented(TenantId);
            return null;
        }
        if (state.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUseGranularity)
        {
            state.LastUsedAt = lastUsed = now;
            await token.WriteStateAsync();
        }
        var lastUseDue = lastUsed + LastUseGranularity;
        return new TokenGrant(state.Partition, lastUseDue < state.ExpiresAt ? lastUseDue : state.ExpiresAt);
    }

    public Task<TokenInfo?> DescribeAsync() => Task.FromResult(token.State.Exists
        ? new TokenInfo(TokenId, token.State.CreatedAt, token.State.ExpiresAt, token.State.LastUsedAt)
        : null);

    public async Task<bool> RevokeAsync()
    {
        if (token.State.Exists)
            await token.ClearStateAsync();
        if (await this.GetReminder(ExpiryReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
        // After the state: a validation that reaches this grain from now on is refused, and one that
        // was answered before cannot fill a gateway's cache once that gateway has dropped the token.
        try
        {
            return await GrainFactory.Reference<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).DropTokenEverywhereAsync(this.GetPrimaryKeyString());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Token {TokenKey} is revoked, but the gateways could not be told at once", this.GetPrimaryKeyString());
            return false;
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ExpiryReminder ? EmitDueNotificationsAsync() : Task.CompletedTask;

    public async Task EmitDueNotificationsAsync()
    {
        var state = token.State;
        if (!state.Exists)
            return;
        var now = time.GetUtcNow();
        var due = ExpirySchedule.Notifications(state.ExpiresAt)
            .Where(at => at <= now && (state.NotifiedThrough is not { } through || at > through))
            .ToList();
        if (due.Count == 0)
            return;
        var (tenantId, tokenId) = ResourceKey.Parse(this.GetPrimaryKeyString());
        // Events first, then the mark: a crash in between re-emits, and the store drops the repeat.
        await store.AppendEventsAsync(tenantId, due.Select(at => ExpiryEvent(tokenId, at, state.ExpiresAt)).ToList());
        state.NotifiedThrough = due[^1];
        await token.WriteStateAsync();
        foreach (var at in due) // counted once marked, since a crash before the mark emits them again
            metrics.ExpiryNotified(tenantId, DaysRemaining(at, state.ExpiresAt));
        await GrainFactory.Reference<IWebhookGrain>(IWebhookGrain.Key).NotifyAsync();
    }

    private static DirectoryEvent ExpiryEvent(string tokenId, DateTimeOffset at, DateTimeOffset expiresAt)
    {
        var detail = JsonSerializer.Serialize(new
        {
            tokenId,
            expiresAt,
            daysRemaining = DaysRemaining(at, expiresAt),
            cadence = ExpirySchedule.CadenceAt(expiresAt - at).ToString(),
        });
        return new DirectoryEvent(0, ExpiryEventType, tokenId, at, detail);
    }

    private static int DaysRemaining(DateTimeOffset at, DateTimeOffset expiresAt) => (int)Math.Round((expiresAt - at).TotalDays);
}
