using IdentityDirectory.Silo.Hosting;
using IdentityDirectory.Tests.Infrastructure;
using Npgsql;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>
/// Our Orleans schema on PostgreSQL: it applies at every silo start, from several silos at once, and its membership
/// statements keep the contract the clustering provider relies on.
/// </summary>
public sealed class PostgresOrleansSchemaTests
{
    private static readonly string[] ClusteringKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "MembershipReadRowKey",
        "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
    ];

    private static readonly string[] StorageKeys = ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey"];

    private static readonly string[] ReminderKeys =
    [
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task SchemaAppliesAgainAndFromTwoSilosAtOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.CreateDatabaseAsync("schema"));

        await Task.WhenAll(PostgresOrleansSchema.ApplyAsync(dataSource), PostgresOrleansSchema.ApplyAsync(dataSource));
        await PostgresOrleansSchema.ApplyAsync(dataSource);

        await using var command = dataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery");
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                keys.Add(reader.GetString(0));
        Assert.Equal([.. ClusteringKeys.Concat(StorageKeys).Concat(ReminderKeys).Order(StringComparer.Ordinal)], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MembershipChangesApplyOnlyOnTheTableVersionTheirWriterRead()
    {
        await using var membership = await MembershipAsync();
        Assert.True(await membership.RunAsync<bool>("InsertMembershipVersionKey"));
        Assert.False(await membership.RunAsync<bool>("InsertMembershipVersionKey"));
        Assert.Equal((0, 0), await membership.ReadAllAsync()); // the version row answers even with no silo

        Assert.True(await membership.InsertAsync(port: 1, version: 0));
        Assert.False(await membership.InsertAsync(port: 2, version: 0)); // read version 0, which is gone
        Assert.False(await membership.InsertAsync(port: 1, version: 1)); // the silo is there already: the version stays
        Assert.Equal((1, 1), await membership.ReadAllAsync());

        Assert.True(await membership.UpdateAsync(port: 1, Dead, version: 1));
        Assert.False(await membership.UpdateAsync(port: 1, Active, version: 1));
        Assert.Equal((2, 1), await membership.ReadAllAsync());
        Assert.Equal(Dead, (await membership.RowsAsync("MembershipReadRowKey", Silo(port: 1)))[0]["status"]);

        await membership.RunAsync<object>("DeleteMembershipTableEntriesKey");
        Assert.Null(await membership.RunAsync<object>("MembershipReadAllKey"));
    }

    [Fact]
    public async Task CleanupRemovesOnlyLongDeadSilos()
    {
        await using var membership = await MembershipAsync();
        await membership.RunAsync<bool>("InsertMembershipVersionKey");
        Assert.True(await membership.InsertAsync(port: 1, version: 0, status: Dead, aliveAt: membership.Start));
        Assert.True(await membership.InsertAsync(port: 2, version: 1, status: Active, aliveAt: membership.Start));
        Assert.True(await membership.InsertAsync(port: 3, version: 2, status: Dead, aliveAt: membership.Start.AddHours(2)));

        await membership.RunAsync<object>("CleanupDefunctSiloEntriesKey", ("IAmAliveTime", membership.Start.AddHours(1)));

        Assert.Equal(2, (await membership.ReadAllAsync()).Silos);
        Assert.Equal(DBNull.Value, (await membership.RowsAsync("MembershipReadRowKey", Silo(port: 1)))[0]["starttime"]);
        Assert.Equal(new[] { 30002 }, await membership.GatewaysAsync());
    }

    private static (string, object)[] Silo(int port) => [("Address", "10.0.0.1"), ("Port", port), ("Generation", 1)];

    private static async Task<MembershipStatements> MembershipAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await PostgresServer.CreateDatabaseAsync("membership"));
        await PostgresOrleansSchema.ApplyAsync(dataSource);
        return new MembershipStatements(dataSource);
    }

    /// <summary>The clustering provider's statements, run as it runs them: read from OrleansQuery, parameters by name.</summary>
    private sealed class MembershipStatements(NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public DateTime Start { get; } = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

        public Task<bool> InsertAsync(int port, int version, int status = Active, DateTime? aliveAt = null) =>
            RunAsync<bool>("InsertMembershipKey",
            [
                .. Silo(port), ("SiloName", $"silo-{port}"), ("HostName", "host"), ("Status", status), ("ProxyPort", 30000 + port),
                ("StartTime", Start), ("IAmAliveTime", aliveAt ?? Start), ("Version", version),
            ]);

        public Task<bool> UpdateAsync(int port, int status, int version) =>
            RunAsync<bool>("UpdateMembershipKey",
                [.. Silo(port), ("Status", status), ("SuspectTimes", DBNull.Value), ("IAmAliveTime", Start.AddMinutes(1)), ("Version", version)]);

        /// <summary>The table version and the number of silos in it.</summary>
        public async Task<(int Version, int Silos)> ReadAllAsync()
        {
            var rows = await RowsAsync("MembershipReadAllKey");
            return (Convert.ToInt32(rows[0]["version"]), rows.Count(row => row["starttime"] is not DBNull));
        }

        public async Task<int[]> GatewaysAsync() =>
            [.. (await RowsAsync("GatewaysQueryKey", ("Status", Active))).Select(row => Convert.ToInt32(row["proxyport"]))];

        /// <summary>The first column of the first row (of the last statement that answers rows), or null when none.</summary>
        public async Task<T?> RunAsync<T>(string key, params (string Name, object Value)[] parameters)
        {
            var rows = await RowsAsync(key, parameters);
            return rows.Count == 0 ? default : (T)rows[0].Values.First();
        }

        public async Task<List<Dictionary<string, object>>> RowsAsync(string key, params (string Name, object Value)[] parameters)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var lookup = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = $1", connection) { Parameters = { new() { Value = key } } };
            await using var command = new NpgsqlCommand((string)(await lookup.ExecuteScalarAsync())!, connection);
            command.Parameters.AddWithValue("DeploymentId", "cluster-a");
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            var rows = new List<Dictionary<string, object>>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue));
            return rows;
        }

        public ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}
