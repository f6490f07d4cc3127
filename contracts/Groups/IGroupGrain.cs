using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>One group of one tenant, keyed <c>{tenantId}/{groupId}</c>. Serializes the group's writes, so concurrent member changes all land.</summary>
public interface IGroupGrain : IGrainWithStringKey
{
    Task<ScimJson> CreateAsync(string body);

    Task<ScimJson> GetAsync();

    /// <summary>Applies a SCIM PatchOp body; member changes are edge writes, O(changes).</summary>
    Task PatchAsync(string body);

    Task DeleteAsync();
}
