using IdentityDirectory.Filters;
using IdentityDirectory.Store;

namespace IdentityDirectory.Tests.Store;

/// <summary>Deleting a tenant unlists it at once and then purges the rows of every directory it had, in batches, and no other tenant's.</summary>
public sealed class TenantDeletionTests() : StoreTests("tenant-deletion")
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // Rules O-2 (a deleted tenant's data all goes), I-1/I-6 (a wipe leaves the tenant later-generation directories).
    [Fact]
    public async Task EveryGenerationOfTheTenantGoesInBatchesAndNeighbouringIdsStay()
    {
        const string tenant = "3f2a1c9e-0000-4000-8000-000000000001";
        // Ids that sort right next to the tenant's partitions: a prefix of the tenant and a longer id.
        string[] others = ["3f2a1c9e-0000-4000-8000-00000000000", "3f2a1c9e-0000-4000-8000-0000000000010", "3f2a1c9e-0000-4000-8000-000000000002"];
        string[] mine = [tenant, DirectoryPartition.Of(tenant, 1), DirectoryPartition.Of(tenant, 12)];
        foreach (var partition in mine.Concat(others))
        {
            foreach (var id in new[] { "u1", "u2" })
                await Store.InsertUserAsync(partition, NewUserRow(id, $"{id}.{partition}@x.com"), 10, CreateUserAudit(id));
            await Store.InsertGroupAsync(partition, new GroupRow("g1", "g1", null, 1, At, At, "{}"u8.ToArray(), "{}"u8.ToArray()), ["u1", "u2"], 10, CreateUserAudit("g1"));
        }
        foreach (var tenantId in others.Append(tenant))
        {
            await Store.RegisterTenantAsync(tenantId, At);
            await Store.SetPortalAsync($"d-{tenantId}", tenantId);
        }

        await Store.WithdrawTenantAsync(tenant);

        var listed = (await Store.ListTenantsAsync(0, 10)).TenantIds;
        Assert.Equal(others.Order(), listed.Order());
        Assert.Null(await Store.FindPortalTenantAsync($"d-{tenant}"));
        Assert.True(await Store.UserExistsAsync(tenant, "u1"), "the rows go by the purge, not with the listing");

        var batches = 1;
        while (await Store.PurgeTenantAsync(tenant, batch: 2))
            batches++;

        // 3 directories × (2 users, a group, 2 memberships, usage) and 9 audit records: 27 rows, 14 batches of 2.
        Assert.Equal(14, batches);
        Assert.False(await Store.PurgeTenantAsync(tenant, batch: 2));
        foreach (var partition in mine)
        {
            Assert.False(await Store.UserExistsAsync(partition, "u1"), partition);
            Assert.False(await Store.UserExistsAsync(partition, "u2"), partition);
            Assert.Null(await Store.GetGroupAsync(partition, "g1"));
        }
        Assert.Empty(await Store.ListAuditAsync(tenant, 0, 10));
        foreach (var partition in others)
        {
            Assert.True(await Store.UserExistsAsync(partition, "u1"), partition);
            Assert.Equal(3, (await Store.ListAuditAsync(partition, 0, 10)).Count);
            var members = await Store.QueryUsersAsync(partition, ResourceQuery.Equal(FilterScope.Users, "groups.value", "g1"), new PageRequest(10, 1, false, 0));
            Assert.Equal(2, members.Resources.Count);
            var all = await Store.QueryUsersAsync(partition, ResourceQuery.All, new PageRequest(10, 1, false, 0));
            Assert.Equal(2, all.Total); // its usage counter too
            Assert.Equal(partition, await Store.FindPortalTenantAsync($"d-{partition}"));
        }
    }
}
