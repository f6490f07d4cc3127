using System.Data.Common;
using IdentityDirectory.Tokens;
using Orleans.Storage;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// The Orleans ADO.NET grain-storage contract our queries keep on every engine (PLATFORM-NOTES): a write applies only on
/// the version its writer read, a stale write is refused (never silently applied), and every grain key is its own row.
/// </summary>
public static class GrainStorageContract
{
    /// <summary>The statements as the provider runs them, straight on a connection to a database holding our schema.</summary>
    public static async Task StaleWritesAreRefusedAtTheSqlLevelAsync(DbConnection connection)
    {
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

    /// <summary>Two activations' writers of one grain, through the product's grain storage: the second to write loses.</summary>
    public static async Task SecondWriterOfOneGrainStateIsRefusedAsync(IGrainStorage storage)
    {
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

    /// <summary>
    /// Orleans reads a string key made of hex digits as a number, so "020235" and "20235" (or "abc" and "ABC") would
    /// be one row upstream; through the product's storage each is its own.
    /// </summary>
    public static async Task KeysThatReadAsTheSameNumberKeepTheirOwnStateAsync(IGrainStorage storage)
    {
        var run = Random.Shared.Next(0x100000, 0xFFFFFF) | 0xA; // its last hex digit a letter, so the two cases of the hex form differ
        string[] keys = [$"0{run}", $"{run}", $"{run:x}", $"{run:X}", $"00{run:x}"];
        var ids = keys.Select(key => GrainId.Create("token", key)).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var state = new GrainState<TokenState>(new TokenState());
            await storage.ReadStateAsync("token", ids[i], state);
            Assert.False(state.RecordExists, $"'{keys[i]}' found the state of another key");
            state.State = new TokenState { Hash = [(byte)i] };
            await storage.WriteStateAsync("token", ids[i], state);
        }
        for (var i = 0; i < ids.Length; i++)
        {
            var state = new GrainState<TokenState>(new TokenState());
            await storage.ReadStateAsync("token", ids[i], state);
            Assert.Equal(new byte[] { (byte)i }, state.State!.Hash);
        }
    }

    private static async Task<string> QueryTextAsync(DbConnection connection, string key)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k";
        Add(command, "k", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A statement with the parameters the provider sends, named as it names them.</summary>
    private static DbCommand Command(DbConnection connection, string text, string key, long? version, byte[]? payload)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        Add(command, "ServiceId", "storage-contract");
        Add(command, "GrainTypeString", "token");
        Add(command, "GrainIdHash", 17);
        Add(command, "GrainTypeHash", 23);
        Add(command, "GrainIdN0", 0L);
        Add(command, "GrainIdN1", 0L);
        Add(command, "GrainIdExtensionString", key);
        Add(command, "GrainStateVersion", version is null ? null : (int)version);
        Add(command, "PayloadBinary", payload);
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Runs a write or clear statement; returns NewGrainStateVersion (first column), null when refused.</summary>
    private static async Task<long?> RunAsync(DbConnection connection, string text, string key, long? version, byte[]? payload)
    {
        await using var command = Command(connection, text, key, version, payload);
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync())
                return reader.IsDBNull(0) ? null : Convert.ToInt64(reader.GetValue(0));
        }
        while (await reader.NextResultAsync());
        return null;
    }

    private static async Task<(byte[]? Payload, long Version)> ReadAsync(DbConnection connection, string text, string key)
    {
        await using var command = Command(connection, text, key, null, null);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var payload = reader.IsDBNull(reader.GetOrdinal("PayloadBinary")) ? null : (byte[])reader["PayloadBinary"];
        return (payload, Convert.ToInt64(reader["Version"]));
    }
}
