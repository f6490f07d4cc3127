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
            await Store.AppendAuditAsync(partition, CreateUserAudit("u1"));
        }
        foreach (var tenantId in others.Append(tenant))
        {
            await Store.RegisterTenantAsync(tenantId, At);
            await Store.SetPortalAsync($"d-{tenantId}", tenantId);
        }

        await Store.UnlistTenantAsync(tenant);

        var listed = (await Store.ListTenantsAsync(0, 10)).TenantIds;
        Assert.Equal(others.Order(), listed.Order());
        Assert.Null(await Store.FindPortalTenantAsync($"d-{tenant}"));
        Assert.True(await Store.UserExistsAsync(tenant, "u1"), "the rows go by the purge, not with the listing");

        var batches = 1;
        while (await Store.PurgeTenantAsync(tenant, batch: 2))
            batches++;

        // 3 directories × (2 users + usage) and 9 audit records: batches of 2 take at least 9 rounds.
        Assert.True(batches >= 9, $"purged in {batches} batches");
        Assert.False(await Store.PurgeTenantAsync(tenant, batch: 2));
        foreach (var partition in mine)
        {
            Assert.False(await Store.UserExistsAsync(partition, "u1"), partition);
            Assert.False(await Store.UserExistsAsync(partition, "u2"), partition);
        }
        Assert.Empty(await Store.ListAuditAsync(tenant, 0, 10));
        foreach (var partition in others)
        {
            Assert.True(await Store.UserExistsAsync(partition, "u1"), partition);
            Assert.Equal(3, (await Store.ListAuditAsync(partition, 0, 10)).Count);
            var all = await Store.QueryUsersAsync(partition, new UserQuery(UserQueryKind.All), new PageRequest(10, 1, false, 0));
            Assert.Equal(2, all.Total); // its usage counter too
            Assert.Equal(partition, await Store.FindPortalTenantAsync($"d-{partition}"));
        }
    }
}
