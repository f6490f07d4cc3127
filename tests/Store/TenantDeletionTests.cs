using IdentityDirectory.Store;

namespace IdentityDirectory.Tests.Store;

/// <summary>Deleting a tenant removes the rows of every directory it had, and no other tenant's.</summary>
public sealed class TenantDeletionTests() : StoreTests("tenant-deletion")
{
    // Rules O-2 (a deleted tenant's data all goes), I-1/I-6 (a wipe leaves the tenant later-generation directories).
    [Fact]
    public async Task EveryGenerationOfTheTenantGoesAndNeighbouringIdsStay()
    {
        const string tenant = "3f2a1c9e-0000-4000-8000-000000000001";
        // Ids that sort right next to the tenant's partitions: a prefix of the tenant and a longer id.
        string[] others = ["3f2a1c9e-0000-4000-8000-00000000000", "3f2a1c9e-0000-4000-8000-0000000000010", "3f2a1c9e-0000-4000-8000-000000000002"];
        string[] mine = [tenant, DirectoryPartition.Of(tenant, 1), DirectoryPartition.Of(tenant, 12)];
        foreach (var partition in mine.Concat(others))
        {
            await Store.InsertUserAsync(partition, NewUserRow("u1", $"{partition}@x.com"), 10, CreateUserAudit("u1"));
            await Store.AppendAuditAsync(partition, CreateUserAudit("u1"));
        }

        await Store.DeleteTenantAsync(tenant);

        foreach (var partition in mine)
            Assert.False(await Store.UserExistsAsync(partition, "u1"), partition);
        Assert.Empty(await Store.ListAuditAsync(tenant, 0, 10));
        foreach (var partition in others)
        {
            Assert.True(await Store.UserExistsAsync(partition, "u1"), partition);
            Assert.Equal(2, (await Store.ListAuditAsync(partition, 0, 10)).Count);
            var all = await Store.QueryUsersAsync(partition, new UserQuery(UserQueryKind.All), new PageRequest(10, 1, false, 0));
            Assert.Equal(1, all.Total); // its usage counter too
        }
    }
}
