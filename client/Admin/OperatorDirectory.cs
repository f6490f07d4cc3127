using IdentityDirectory.Directory;
using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;

namespace IdentityDirectory.Gateway.Admin;

/// <summary>
/// A tenant's users, groups and memberships as the operator reads and writes them, the same for the admin
/// API and the console: reads from the tenant's live partition, as stored (the aws representation, whatever
/// the tenant's wire profile), writes as one call of the directory, which refuses them while automatic
/// provisioning is on (O-4).
/// </summary>
public static class OperatorDirectory
{
    private static readonly ScimRequest Stored = new(WireProfile.Aws);

    public static async Task<ScimJson> SearchUsersAsync(IGrainFactory grains, string tenantId, ListQuery query) =>
        await grains.DirectoryQueriesOf(await PartitionAsync(grains, tenantId)).SearchUsersAsync(query);

    public static async Task<ScimJson> ListGroupsAsync(IGrainFactory grains, string tenantId, ListQuery query) =>
        await grains.DirectoryQueriesOf(await PartitionAsync(grains, tenantId)).ListGroupsAsync(new ListRequest(WireProfile.Aws, query));

    public static async Task<ScimJson> GetUserAsync(IGrainFactory grains, string tenantId, string userId) =>
        (await grains.Reference<IUserGrain>(ResourceKey.Of(await PartitionAsync(grains, tenantId), userId)).GetAsync(Stored)).Body!;

    public static async Task<ScimJson> GetGroupAsync(IGrainFactory grains, string tenantId, string groupId) =>
        (await grains.Reference<IGroupGrain>(ResourceKey.Of(await PartitionAsync(grains, tenantId), groupId)).GetAsync(Stored)).Body!;

    /// <summary>One call of the directory, which checks O-4 and writes in the same turn; the resource written, or null.</summary>
    public static Task<ScimJson?> ApplyAsync(IGrainFactory grains, string tenantId, ManualAction action, string? id = null, string? body = null,
        string? userId = null) =>
        grains.Reference<IDirectoryGrain>(tenantId).ApplyManualChangeAsync(new ManualChange(action, id, body, userId));

    private static Task<string> PartitionAsync(IGrainFactory grains, string tenantId) =>
        grains.Reference<IDirectoryGrain>(tenantId).GetPartitionAsync();
}
