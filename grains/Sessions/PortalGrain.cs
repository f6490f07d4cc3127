using IdentityDirectory.Directory;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Users;
using Orleans.Concurrency;

namespace IdentityDirectory.Sessions;

[StatelessWorker]
public sealed class PortalGrain(IDirectoryStore store) : Grain, IPortalGrain
{
    private string IdentityStoreId => this.GetPrimaryKeyString();

    public async Task<SessionInfo> SignInAsync(string userName)
    {
        var (_, partition) = await TenantAsync();
        var page = await store.QueryUsersAsync(partition, ResourceQuery.Equal(FilterScope.Users, "userName", userName), new PageRequest(1, 1, false, 0));
        if (page.Resources.Count == 0)
            throw new ScimException(403, null, "The user cannot sign in.");
        return await GrainFactory.Reference<IUserGrain>(ResourceKey.Of(partition.Key, page.Resources[0].Id)).SignInAsync();
    }

    public async Task<SessionStatus> GetSessionAsync(string sessionId)
    {
        var (tenantId, _) = await TenantAsync();
        if (!SessionIds.TryParse(sessionId, out var partition, out var userId) || DirectoryPartition.Parse(partition).TenantId != tenantId)
            return new SessionStatus(false, null, []);
        return await GrainFactory.Reference<ISessionGrain>(ResourceKey.Of(partition, userId)).GetAsync(sessionId);
    }

    /// <summary>The tenant this portal serves; 404 for a store id that is unknown or no longer current (I-10).</summary>
    private async Task<(string TenantId, DirectoryPartition Partition)> TenantAsync()
    {
        var tenantId = await store.FindPortalTenantAsync(IdentityStoreId);
        var directory = tenantId is null ? null : GrainFactory.Reference<IDirectoryGrain>(tenantId);
        if (directory is null || await directory.GetAsync() is not { } tenant || tenant.IdentityStoreId != IdentityStoreId)
            throw ScimException.NotFound("No access portal here.");
        return (tenantId!, DirectoryPartition.Parse(await directory.GetPartitionAsync()));
    }
}
