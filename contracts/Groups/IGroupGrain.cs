using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>
/// One group of one tenant, keyed <c>{tenantId}/{groupId}</c>. Serializes the group's writes, so concurrent
/// member changes all land; member changes are edge writes, O(changes).
/// </summary>
public interface IGroupGrain : IGrainWithStringKey
{
    Task<ScimResponse> CreateAsync(ScimRequest request);

    /// <summary>The group; not modified when <c>If-None-Match</c> names its version (R-ETAG-3).</summary>
    Task<ScimResponse> GetAsync(ScimRequest request);

    /// <summary>Replaces displayName, externalId and members from a SCIM PUT body where the profile serves it (R-CRUD-5).</summary>
    [ResponseTimeout("00:00:30")] // a whole member list replaced costs O(members), up to 100,000 (docs/decisions.md, Cluster mode)
    Task<ScimResponse> ReplaceAsync(ScimRequest request);

    /// <summary>Applies a SCIM PatchOp body atomically; the answer has no body when the profile says 204 (R-PAT-4).</summary>
    [ResponseTimeout("00:00:30")]
    Task<ScimResponse> PatchAsync(ScimRequest request);

    Task DeleteAsync(ScimRequest? request = null);
}
