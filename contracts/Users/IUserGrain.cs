using IdentityDirectory.Scim;
using IdentityDirectory.Sessions;

namespace IdentityDirectory.Users;

/// <summary>
/// One user of one tenant, keyed <c>{tenantId}/{userId}</c>: its single writer and its cache for GET by id.
/// Each SCIM call carries the tenant's wire profile, which decides what is accepted and how the user is shown.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user from a SCIM POST body (R-CRUD-1).</summary>
    Task<ScimResponse> CreateAsync(ScimRequest request);

    /// <summary>The user; not modified when <c>If-None-Match</c> names its version (R-ETAG-3).</summary>
    Task<ScimResponse> GetAsync(ScimRequest request);

    /// <summary>Replaces the whole user from a SCIM PUT body (R-CRUD-4), when <c>If-Match</c> allows (R-ETAG-2).</summary>
    Task<ScimResponse> ReplaceAsync(ScimRequest request);

    /// <summary>Applies a SCIM PatchOp body atomically (R-PAT-2); the answer has no body when the profile says 204 (R-PAT-3).</summary>
    Task<ScimResponse> PatchAsync(ScimRequest request);

    /// <summary>Deletes the user, when <c>If-Match</c> allows; its live sessions run on for at most two hours (S-2).</summary>
    Task DeleteAsync(ScimRequest? request = null);

    /// <summary>Ends the user's sessions at once (S-3); refused once the user no longer exists.</summary>
    Task RevokeSessionsAsync();

    /// <summary>Signs the user in for the tenant's session duration (S-1); a disabled user cannot sign in.</summary>
    Task<SessionInfo> SignInAsync();
}
