using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace IdentityDirectory.Tests.Grains;

/// <summary>The grain-storage contract (<see cref="GrainStorageContract"/>) on SQLite, the embedded mode's engine.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageContractTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DirectoryStorage.Name);

    [Fact]
    public async Task StaleWriteIsRefusedAtTheSqlLevel()
    {
        await using var connection = fixture.OpenDatabase();
        await GrainStorageContract.StaleWritesAreRefusedAtTheSqlLevelAsync(connection);
    }

    [Fact]
    public Task SecondWriterOfOneGrainStateIsRefused() => GrainStorageContract.SecondWriterOfOneGrainStateIsRefusedAsync(Storage);

    [Fact]
    public Task KeysThatReadAsTheSameNumberKeepTheirOwnState() => GrainStorageContract.KeysThatReadAsTheSameNumberKeepTheirOwnStateAsync(Storage);
}
