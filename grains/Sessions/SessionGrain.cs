using System.Security.Cryptography;
using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;

namespace IdentityDirectory.Sessions;

public sealed class SessionGrain(
    [PersistentState("sessions", DirectoryStorage.Name)] IPersistentState<SessionState> state,
    IDirectoryStore store,
    TimeProvider time) : Grain, ISessionGrain
{
    /// <summary>S-2: how long a deleted or disabled user's live sessions may run on.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(2);

    private (string Partition, string UserId) Key => ResourceKey.Parse(this.GetPrimaryKeyString());

    public async Task<SessionInfo> StartAsync(TimeSpan duration)
    {
        if (state.State.EndedAt is not null)
            throw new ScimException(403, null, "The user cannot sign in.");
        var now = time.GetUtcNow();
        var session = new SessionRecord(SessionIds.New(Key.Partition, Key.UserId), now, now + duration);
        state.State.Sessions.RemoveAll(s => s.ExpiresAt <= now);
        state.State.Sessions.Add(session);
        await state.WriteStateAsync();
        return new SessionInfo(session.Id, session.ExpiresAt);
    }

    public async Task<SessionStatus> GetAsync(string sessionId)
    {
        var session = state.State.Sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
            return new SessionStatus(false, null, []);
        var (partition, userId) = Key;
        var tenant = GrainFactory.Reference<IDirectoryGrain>(DirectoryPartition.Parse(partition).TenantId);
        var retiredAt = await tenant.PartitionRetiredAtAsync(partition);
        var endedAt = Earliest(state.State.EndedAt, retiredAt);
        var until = endedAt is { } ended ? Min(session.ExpiresAt, ended + Grace) : session.ExpiresAt;
        if (time.GetUtcNow() >= until)
            return new SessionStatus(false, until, []);
        var access = state.State.EndedAt is not null ? state.State.AccessAtEnd : await store.EffectiveAccessAsync(DirectoryPartition.Parse(partition), userId);
        return new SessionStatus(true, until, access);
    }

    public async Task UserEndedAsync(bool deleted)
    {
        var now = time.GetUtcNow();
        if (!state.State.Sessions.Any(s => s.ExpiresAt > now) && !state.RecordExists)
            return; // nothing to end, nothing to remember: sign-in is refused by the user itself
        if (state.State.EndedAt is null)
        {
            state.State.EndedAt = now;
            state.State.AccessAtEnd = [.. await store.EffectiveAccessAsync(DirectoryPartition.Parse(Key.Partition), Key.UserId)];
        }
        state.State.Deleted |= deleted;
        await state.WriteStateAsync();
    }

    public async Task UserReenabledAsync()
    {
        if (state.State.Deleted || state.State.EndedAt is not { } endedAt)
            return;
        // Sessions live at the disable keep at most two hours from it (S-2); new sign-ins run normally.
        state.State.Sessions = state.State.Sessions
            .Select(s => s.ExpiresAt > endedAt + Grace ? s with { ExpiresAt = endedAt + Grace } : s)
            .ToList();
        state.State.EndedAt = null;
        state.State.AccessAtEnd = [];
        await state.WriteStateAsync();
    }

    public async Task RevokeAllAsync()
    {
        if (state.State.Deleted)
            throw new ScimException(409, null, "The user was deleted; its sessions end on their own within two hours.");
        state.State.Sessions.Clear();
        await state.WriteStateAsync();
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : Min(a.Value, b.Value);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>
/// Session ids name their user and directory partition, so the portal finds the session grain
/// without a lookup table: <c>{partition}.{userId}.{random}</c>, base64url-encoded.
/// </summary>
public static class SessionIds
{
    public static string New(string partition, string userId) =>
        Encode($"{partition}|{userId}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");

    public static bool TryParse(string sessionId, out string partition, out string userId)
    {
        partition = userId = "";
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(sessionId.Replace('-', '+').Replace('_', '/')))).Split('|');
            if (parts.Length != 3)
                return false;
            (partition, userId) = (parts[0], parts[1]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Encode(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string text) => text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
}
