using IdentityDirectory.Assignments;

namespace IdentityDirectory.Sessions;

/// <summary>A new session: its id and when it expires (S-1).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.SessionInfo")]
public sealed record SessionInfo(
    [property: Id(0)] string SessionId,
    [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>Whether a session is valid, until when, and what it may reach (S-5).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.SessionStatus")]
public sealed record SessionStatus(
    [property: Id(0)] bool Valid,
    [property: Id(1)] DateTimeOffset? ValidUntil,
    [property: Id(2)] IReadOnlyList<AccessGrant> Access);

/// <summary>
/// The sign-in sessions of one user, keyed <c>{partition}/{userId}</c>. Enforces the window after the
/// user is deleted or disabled (S-2) from stored instants, so a restart or failover neither ends nor
/// extends it.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Starts a session of the given duration; refused once the user was deleted or disabled.</summary>
    Task<SessionInfo> StartAsync(TimeSpan duration);

    Task<SessionStatus> GetAsync(string sessionId);

    /// <summary>
    /// The user is being deleted or disabled: live sessions keep at most two hours, answering with the
    /// access the user holds now. Call before the user's rows change.
    /// </summary>
    Task UserEndedAsync(bool deleted);

    /// <summary>A disabled user was enabled again: new sign-ins are allowed, sessions run to their own expiry.</summary>
    Task UserReenabledAsync();

    /// <summary>Ends every session of the user at once (S-3); refused after the user was deleted.</summary>
    Task RevokeAllAsync();
}
