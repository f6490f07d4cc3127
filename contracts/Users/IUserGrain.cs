using IdentityDirectory.Scim;
using IdentityDirectory.Sessions;

namespace IdentityDirectory.Users;

/// <summary>One user of one tenant, keyed <c>{tenantId}/{userId}</c>: its single writer and its cache for GET by id.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user from a SCIM POST body; returns the rendered resource.</summary>
    Task<ScimJson> CreateAsync(string body);

    Task<ScimJson> GetAsync();

    /// <summary>Replaces the whole user from a SCIM PUT body (R-CRUD-4).</summary>
    Task<ScimJson> ReplaceAsync(string body);

    /// <summary>Applies a SCIM PatchOp body atomically (R-PAT-2).</summary>
    Task<ScimJson> PatchAsync(string body);

    /// <summary>Deletes the user; its live sessions run on for at most two hours (S-2).</summary>
    Task DeleteAsync();

    /// <summary>Ends the user's sessions at once (S-3); refused once the user no longer exists.</summary>
    Task RevokeSessionsAsync();

    /// <summary>Signs the user in for the tenant's session duration (S-1); a disabled user cannot sign in.</summary>
    Task<SessionInfo> SignInAsync();
}
