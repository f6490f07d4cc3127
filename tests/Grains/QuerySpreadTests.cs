using System.Text.Json.Nodes;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// A big tenant's reads are not bound to one silo: a gateway that is a plain Orleans client sends a tenant's list
/// queries to every silo, each of which answers them with a local activation (DESIGN §2: any silo serves any tenant).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QuerySpreadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ATenantsQueriesFromAClientAreAnsweredOnEverySilo()
    {
        var tenantId = GrainScim.NewTenantId();
        var userId = await fixture.Client.CreateUserAsync(tenantId);
        var before = await QueryActivationsAsync();

        for (var i = 0; i < 10 * DirectoryQueries.Lanes; i++)
        {
            var page = JsonNode.Parse((await fixture.Client.DirectoryQueriesOf(tenantId)
                .ListUsersAsync(new ListRequest(WireProfile.Aws, new ListQuery(null, null, null, null)))).Utf8)!;
            Assert.Equal(userId, page["Resources"]!.AsArray().Single()!["id"]!.GetValue<string>());
        }

        var after = await QueryActivationsAsync();
        Assert.All(fixture.Cluster.Silos, silo => Assert.True(after.GetValueOrDefault(silo.SiloAddress) > before.GetValueOrDefault(silo.SiloAddress),
            $"{silo.SiloAddress}: {before.GetValueOrDefault(silo.SiloAddress)} query activations before, {after.GetValueOrDefault(silo.SiloAddress)} after"));
    }

    [Theory]
    [InlineData("t-1", "t-1")]
    [InlineData("t-1#7", "t-1")]
    [InlineData("t-1~2#15", "t-1~2")]
    public void AQueryGrainsKeyNamesItsPartitionWithOrWithoutALane(string grainKey, string partitionKey) =>
        Assert.Equal(partitionKey, DirectoryQueries.PartitionKeyOf(grainKey));

    private async Task<Dictionary<SiloAddress, int>> QueryActivationsAsync() =>
        (await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(statistic => statistic.GrainType.Contains(nameof(DirectoryQueryGrain)))
            .GroupBy(statistic => statistic.SiloAddress)
            .ToDictionary(silo => silo.Key, silo => silo.Sum(statistic => statistic.ActivationCount));
}
