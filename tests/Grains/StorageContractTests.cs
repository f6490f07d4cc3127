using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// The Orleans ADO.NET grain-storage contract of our SQLite queries (PLATFORM-NOTES): a write applies only on
/// the version its writer read; a stale write is refused, never silently applied.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageContractTests(ClusterFixture fixture)
{
    [Fact]
    public async Task StaleWriteIsRefusedAtTheSqlLevel()
    {
        await using var connection = fixture.OpenDatabase();
        var write = await QueryTextAsync(connection, "WriteToStorageKey");
        var clear = await QueryTextAsync(connection, "ClearStorageKey");
        var read = await QueryTextAsync(connection, "ReadFromStorageKey");
        var key = "contract/" + Guid.NewGuid();

        Assert.Null(await RunAsync(connection, write, key, version: 1, payload: [1])); // no row yet: only a NULL version creates it
        Assert.Equal(1L, await RunAsync(connection, write, key, version: null, payload: [1]));
        Assert.Equal(2L, await RunAsync(connection, write, key, version: 1, payload: [2]));

        // A writer that read version 1 is stale now.
        Assert.Null(await RunAsync(connection, write, key, version: 1, payload: [3]));
        // A writer that saw no row (NULL version) must not overwrite the existing one.
        Assert.Null(await RunAsync(connection, write, key, version: null, payload: [4]));
        // Nor may a stale clear.
        Assert.Null(await RunAsync(connection, clear, key, version: 1, payload: null));
        var (kept, keptVersion) = await ReadAsync(connection, read, key);
        Assert.Equal(new byte[] { 2 }, kept);
        Assert.Equal(2L, keptVersion);

        Assert.Equal(3L, await RunAsync(connection, clear, key, version: 2, payload: null));
        Assert.Null(await RunAsync(connection, write, key, version: 2, payload: [5]));
        Assert.Equal(4L, await RunAsync(connection, write, key, version: 3, payload: [6]));
        var (last, lastVersion) = await ReadAsync(connection, read, key);
        Assert.Equal(new byte[] { 6 }, last);
        Assert.Equal(4L, lastVersion);
    }

    [Fact]
    public async Task SecondWriterOfOneGrainStateIsRefused()
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DirectoryStorage.Name);
        var grainId = GrainId.Create("token", ResourceKey.Of(Guid.NewGuid().ToString(), "contract"));
        var a = new GrainState<TokenState>(new TokenState());
        var b = new GrainState<TokenState>(new TokenState());
        await storage.ReadStateAsync("token", grainId, a);
        await storage.ReadStateAsync("token", grainId, b);
        Assert.False(a.RecordExists);

        a.State = new TokenState { Hash = [1], Salt = [1] };
        await storage.WriteStateAsync("token", grainId, a);
        b.State = new TokenState { Hash = [2], Salt = [2] };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("token", grainId, b)); // both saw no record

        await storage.ReadStateAsync("token", grainId, b);
        a.State.Hash = [3];
        await storage.WriteStateAsync("token", grainId, a);
        b.State.Hash = [4];
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("token", grainId, b)); // b read a's first write
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("token", grainId, b));

        var fresh = new GrainState<TokenState>(new TokenState());
        await storage.ReadStateAsync("token", grainId, fresh);
        Assert.Equal(new byte[] { 3 }, fresh.State!.Hash);
        Assert.Equal(a.ETag, fresh.ETag);
    }

    private static async Task<string> QueryTextAsync(SqliteConnection connection, string key)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k";
        command.Parameters.AddWithValue("@k", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static SqliteCommand Command(SqliteConnection connection, string text, string key, long? version, byte[]? payload)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Parameters.AddWithValue("@ServiceId", "storage-contract");
        command.Parameters.AddWithValue("@GrainTypeString", "token");
        command.Parameters.AddWithValue("@GrainIdHash", 17);
        command.Parameters.AddWithValue("@GrainTypeHash", 23);
        command.Parameters.AddWithValue("@GrainIdN0", 0L);
        command.Parameters.AddWithValue("@GrainIdN1", 0L);
        command.Parameters.AddWithValue("@GrainIdExtensionString", key);
        command.Parameters.AddWithValue("@GrainStateVersion", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("@PayloadBinary", (object?)payload ?? DBNull.Value);
        return command;
    }

    /// <summary>Runs a write or clear statement; returns NewGrainStateVersion (first column), null when refused.</summary>
    private static async Task<long?> RunAsync(SqliteConnection connection, string text, string key, long? version, byte[]? payload)
    {
        await using var command = Command(connection, text, key, version, payload);
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync())
                return reader.IsDBNull(0) ? null : reader.GetInt64(0);
        }
        while (await reader.NextResultAsync());
        return null;
    }

    private static async Task<(byte[]? Payload, long Version)> ReadAsync(SqliteConnection connection, string text, string key)
    {
        await using var command = Command(connection, text, key, null, null);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var payload = reader.IsDBNull(reader.GetOrdinal("PayloadBinary")) ? null : (byte[])reader["PayloadBinary"];
        return (payload, reader.GetInt64(reader.GetOrdinal("Version")));
    }
}
