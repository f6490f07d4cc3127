using IdentityDirectory.Tests.Grains;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Messaging;
using Orleans.Storage;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>The grain-storage contract (<see cref="GrainStorageContract"/>) on PostgreSQL, the cluster mode's engine.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresStorageTests(PostgresClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(DirectoryStorage.Name);

    [Fact]
    public async Task StaleWriteIsRefusedAtTheSqlLevel()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await GrainStorageContract.StaleWritesAreRefusedAtTheSqlLevelAsync(connection);
    }

    [Fact]
    public Task SecondWriterOfOneGrainStateIsRefused() => GrainStorageContract.SecondWriterOfOneGrainStateIsRefusedAsync(Storage);

    [Fact]
    public Task KeysThatReadAsTheSameNumberKeepTheirOwnState() => GrainStorageContract.KeysThatReadAsTheSameNumberKeepTheirOwnStateAsync(Storage);

    [Fact]
    public async Task ClientsFindTheLiveGatewaysInTheMembershipTable()
    {
        var gateways = await fixture.Client.ServiceProvider.GetRequiredService<IGatewayListProvider>().GetGateways();
        Assert.Equal(
            fixture.Cluster.Silos.Select(silo => silo.GatewayAddress.ToGatewayUri().Authority).Order(),
            gateways.Select(gateway => gateway.Authority).Order());
    }

    [Fact]
    public async Task TwoGrainTypesWithOneKeyKeepTheirOwnState()
    {
        var key = "shared/" + Guid.NewGuid();
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(key);
        await ledger.AppendAsync(7);
        Assert.Equal(5, await fixture.Grains.GetGrain<ITallyGrain>(key).AddAsync(5));

        await fixture.Cluster.DeactivateAsync(ledger);
        Assert.Equal([7], await ledger.EntriesAsync());
        Assert.Equal(6, await fixture.Grains.GetGrain<ITallyGrain>(key).AddAsync(1));
    }
}
