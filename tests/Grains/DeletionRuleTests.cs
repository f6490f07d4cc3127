using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class DeletionRuleTests(ClusterFixture fixture)
{
    public static TheoryData<IdentitySource, IdentitySource> SourceChanges()
    {
        var changes = new TheoryData<IdentitySource, IdentitySource>();
        foreach (var from in Enum.GetValues<IdentitySource>())
        foreach (var to in Enum.GetValues<IdentitySource>().Where(to => to != from))
            changes.Add(from, to);
        return changes;
    }

    // Rules I-2, I-1, I-6: whether deletes keep assignments is a fact of the partition, never changing
    // while the partition serves, which is what lets each silo remember it (DeletionRules): a source
    // change that changes the rule always moves the tenant to a new partition.
    [Theory]
    [MemberData(nameof(SourceChanges))]
    public async Task ASourceChangeThatChangesTheDeletionRuleMovesTheTenantToANewPartition(IdentitySource from, IdentitySource to)
    {
        var directory = fixture.Client.GetGrain<IDirectoryGrain>(Guid.NewGuid().ToString());
        await directory.CreateAsync(new TenantSpec("Deletion rule", from, from == IdentitySource.ExternalIdp ? "Okta" : null));
        var before = await directory.GetDeletionRuleAsync();

        await directory.ChangeIdentitySourceAsync(to, to == IdentitySource.ExternalIdp ? "Okta" : null);
        var after = await directory.GetDeletionRuleAsync();

        Assert.Equal(from == IdentitySource.ActiveDirectory, before.KeepsAssignments);
        Assert.Equal(to == IdentitySource.ActiveDirectory, after.KeepsAssignments);
        if (before.KeepsAssignments != after.KeepsAssignments)
            Assert.NotEqual(before.Partition, after.Partition);
        Assert.Equal(await directory.GetPartitionAsync(), after.Partition);
    }
}
