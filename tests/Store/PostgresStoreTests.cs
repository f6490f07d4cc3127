using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Tests.Infrastructure;
using Npgsql;
using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Store;

/// <summary>PostgreSQL itself under the store: its schema as several silos apply it, and its indexes.</summary>
public sealed class PostgresStoreTests(PostgresStoreEngine engine) : IClassFixture<PostgresStoreEngine>
{
    // DESIGN §2 (the schema is applied idempotently at start): silos starting at once all start, on one schema.
    [Fact]
    public async Task SilosStartingAtOnceApplyTheSchemaTogetherAndAllWork()
    {
        var database = await PostgresServer.CreateDatabaseAsync("schema");
        var dataSources = Enumerable.Range(0, 6).Select(_ => PostgresDirectoryStore.CreateDataSource(database)).ToList();
        try
        {
            var stores = await Task.WhenAll(dataSources.Select(dataSource =>
                Task.Run(() => new PostgresDirectoryStore(dataSource, new DirectoryMetrics(engine.Meters)))));
            var partition = NewPartition();

            await Task.WhenAll(stores.Select((store, i) => store.InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 10, CreateUserAudit($"u{i}"))));

            Assert.Equal(6, (await stores[0].QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
            var restarted = new PostgresDirectoryStore(dataSources[0], new DirectoryMetrics(engine.Meters));
            Assert.NotNull(await restarted.GetUserAsync(partition, "u5"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
                await dataSource.DisposeAsync();
        }
    }

    // A pooled connection is handed out without Npgsql's session reset and statements are prepared once used twice
    // (PostgresDirectoryStore.CreateDataSource); what the connection string says wins.
    [Theory]
    [InlineData("Host=127.0.0.1", true, 100)]
    [InlineData("Host=127.0.0.1;No Reset On Close=false;Max Auto Prepare=5", false, 5)]
    [InlineData("Host=127.0.0.1;NoResetOnClose=false", false, 100)]
    public async Task TheDataSourceSkipsTheSessionResetUnlessTheConnectionStringAsksForIt(string connectionString, bool noReset, int maxAutoPrepare)
    {
        await using var dataSource = PostgresDirectoryStore.CreateDataSource(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal((noReset, maxAutoPrepare), (settings.NoResetOnClose, settings.MaxAutoPrepare));
    }

    // The session reset skipped: a connection the store returns to the pool comes back as it was, with no reset
    // statements run before the next command (their only effect would be on session state the product never sets).
    [Fact]
    public async Task APooledConnectionComesBackWithoutASessionReset()
    {
        await using var dataSource = PostgresDirectoryStore.CreateDataSource(await PostgresServer.CreateDatabaseAsync("reset") + ";Maximum Pool Size=1");
        await using (var first = await dataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT set_config('application_name', 'left behind', false)", first))
            await command.ExecuteScalarAsync();
        await using var again = await dataSource.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("SELECT current_setting('application_name')", again);
        Assert.Equal("left behind", await read.ExecuteScalarAsync());
    }

    // Without the session reset, what a connection held in a transaction still ends with it: a connection given back
    // mid-transaction (a write cut off by a failure) comes back out of the pool rolled back, its locks released.
    [Fact]
    public async Task AConnectionGivenBackMidTransactionComesBackRolledBack()
    {
        var database = await PostgresServer.CreateDatabaseAsync("rollback");
        await using var dataSource = PostgresDirectoryStore.CreateDataSource(database + ";Maximum Pool Size=1");
        await using (var setup = await dataSource.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand("CREATE TABLE rows (id int)", setup))
            await create.ExecuteNonQueryAsync();
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            var transaction = await first.BeginTransactionAsync();
            await using var write = new NpgsqlCommand("INSERT INTO rows VALUES (1); SELECT pg_advisory_xact_lock(42)", first, transaction);
            await write.ExecuteNonQueryAsync();
        }
        await using var again = await dataSource.OpenConnectionAsync(); // the same session: the pool holds one
        await using (var read = new NpgsqlCommand("SELECT (SELECT count(*) FROM rows), txid_current_if_assigned() IS NULL", again))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((0L, true), (reader.GetInt64(0), reader.GetBoolean(1)));
        }
        await using var other = new NpgsqlConnection(database);
        await other.OpenAsync();
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(42)", other);
        Assert.Equal(true, await tryLock.ExecuteScalarAsync());
    }

    // A first page's statement is planned once and then run on its generic plan, not planned again on every run, which
    // PostgreSQL does while the generic plan looks dearer, as an OFFSET it cannot see made a user's groups look
    // (StoreParameters.Window; bench/PROFILE.md, "The plan made on every run").
    [Fact]
    public async Task AFirstPageRunsOnItsGenericPlan()
    {
        await using var dataSource = PostgresDirectoryStore.CreateDataSource(await PostgresServer.CreateDatabaseAsync("plans") + ";Maximum Pool Size=1");
        var store = new PostgresDirectoryStore(dataSource, new DirectoryMetrics(engine.Meters));
        var partition = NewPartition();
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => store.InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 2000, CreateUserAudit($"u{i}"))));
        await Task.WhenAll(Enumerable.Range(0, 200).Select(g =>
            store.InsertGroupAsync(partition, NewGroup($"g{g}", $"G{g}"), [.. Enumerable.Range(0, 10).Select(i => $"u{g * 10 + i}")], 200, Audit("CreateGroup", $"Group/g{g}"))));
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
            await analyze.ExecuteNonQueryAsync();

        for (var run = 0; run < 20; run++) // Npgsql prepares the statement after a few runs; PostgreSQL plans its first five runs for their values
        {
            var (user, groups) = run % 2 == 0 ? ("u0", 1) : ("u1999", 1);
            Assert.Equal(groups, (await store.QueryGroupsAsync(partition, GroupsWhere($"members eq \"{user}\""), Index())).Total);
        }

        await using var again = await dataSource.OpenConnectionAsync();
        await using var plans = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM directory_groups r WHERE%m.user_id%'", again);
        await using var reader = await plans.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the groups-of-a-user statement was not prepared");
        Assert.True(reader.GetInt64(0) >= 5, $"generic plans {reader.GetInt64(0)}, custom plans {reader.GetInt64(1)}");
    }

    // DESIGN §2, R-FLT-6: every filter of the aws subset, page and total is answered through an index that holds its value, never by scanning a table.
    [Theory]
    [InlineData(null, "tenant_id")]
    [InlineData("id eq \"u17\"", "id")]
    [InlineData("userName eq \"U17@x.com\"", "user_name_lc")]
    [InlineData("externalId eq \"ext-u17\"", "external_id")]
    [InlineData("groups eq \"g7\"", "group_id")]
    [InlineData("id eq \"u20\" and manager eq \"u1\"", "id")]
    [InlineData("displayName eq \"Bench User\"", "displayName")]
    public async Task EveryUserFilterIsAnsweredThroughAnIndexOfItsValue(string? filter, string column)
    {
        foreach (var page in new[] { Index(count: 10, startIndex: 3), Cursor(10, after: 5) })
            await AssertIndexedAsync(ResourceQuerySql.Users(SqlDialect.Postgres, Indexed, filter is null ? ResourceQuery.All : UsersWhere(filter), page), column);
    }

    [Theory]
    [InlineData(null, "tenant_id")]
    [InlineData("id eq \"g7\"", "id")]
    [InlineData("displayName eq \"G7\"", "display_name_lc")]
    [InlineData("externalId eq \"ext-g7\"", "external_id")]
    [InlineData("members eq \"u17\"", "user_id")]
    [InlineData("id eq \"g18\" and members eq \"u17\"", "id")]
    public async Task EveryGroupFilterIsAnsweredThroughAnIndexOfItsValue(string? filter, string column)
    {
        foreach (var page in new[] { Index(count: 10, startIndex: 3), Cursor(10, after: 5) })
            await AssertIndexedAsync(ResourceQuerySql.Groups(SqlDialect.Postgres, Indexed, filter is null ? ResourceQuery.All : GroupsWhere(filter), page), column);
    }

    private static readonly DirectoryPartition Indexed = DirectoryPartition.First("indexed");

    /// <summary>
    /// A directory of 5,000 users in 50 groups, one each, and a tenth of them reporting to u1, beside a
    /// larger one of another tenant, written in one statement each (through the store it would take
    /// seconds), with fresh statistics, so that the planner weighs the plans as on a real store.
    /// </summary>
    private const string IndexedDirectory =
        """
        INSERT INTO directory_users (tenant_id, id, user_name_lc, external_id, email_lc, manager_id, version, created_ticks, modified_ticks, resource, search)
            SELECT 'indexed', 'u' || i, 'u' || i || '@x.com', 'ext-u' || i, 'u' || i || '@x.com', CASE WHEN i % 10 = 0 THEN 'u1' END, 1, 0, 0, '\x7b7d',
                jsonb_build_object('displayName', 'bench user ' || i)
            FROM generate_series(1, 5000) i;
        INSERT INTO directory_users (tenant_id, id, user_name_lc, version, created_ticks, modified_ticks, resource, search)
            SELECT 'neighbour', 'u' || i, 'u' || i || '@x.com', 1, 0, 0, '\x7b7d', '{}' FROM generate_series(1, 20000) i;
        INSERT INTO directory_groups (tenant_id, id, display_name_lc, external_id, version, created_ticks, modified_ticks, resource, search)
            SELECT 'indexed', 'g' || i, 'g' || i, 'ext-g' || i, 1, 0, 0, '\x7b7d', '{}' FROM generate_series(1, 50) i;
        INSERT INTO directory_members (tenant_id, group_id, group_seq, user_id, user_seq)
            SELECT 'indexed', g.id, g.seq, u.id, u.seq FROM directory_users u
            JOIN directory_groups g ON g.tenant_id = 'indexed' AND g.id = 'g' || (1 + u.seq % 50) WHERE u.tenant_id = 'indexed';
        INSERT INTO directory_usage (tenant_id, users, groups) VALUES ('indexed', 5000, 50);
        ANALYZE;
        """;

    private static readonly SemaphoreSlim Filled = new(1, 1);
    private static string? _filledDatabase;

    /// <summary>
    /// The plans of the page and of its count: no table is scanned, an index condition of the page names
    /// the filtered column, and the count reads through an index too. Sequential scans are priced out, so
    /// a plan that still scans has no index to use.
    /// </summary>
    private async Task AssertIndexedAsync(PageQuery query, string column)
    {
        await using var dataSource = PostgresDirectoryStore.CreateDataSource(engine.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await FillAsync(connection);
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
            await off.ExecuteNonQueryAsync();
        foreach (var (sql, parameters, indexed) in new[] { (query.Sql, query.Parameters, column), (query.CountSql, query.CountParameters, "") })
        {
            if (sql is null)
                continue;
            await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
            foreach (var (name, value) in parameters)
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    plan.Add(reader.GetString(0));
            }
            var text = string.Join("\n", plan);
            Assert.DoesNotContain("Seq Scan", text);
            Assert.True(plan.Any(line => line.Contains("Index Cond") && line.Contains(indexed)), $"{sql}\n{text}");
        }
    }

    private async Task FillAsync(NpgsqlConnection connection)
    {
        await Filled.WaitAsync();
        try
        {
            if (_filledDatabase == engine.ConnectionString)
                return;
            await using var fill = new NpgsqlCommand(IndexedDirectory, connection);
            await fill.ExecuteNonQueryAsync();
            _filledDatabase = engine.ConnectionString;
        }
        finally
        {
            Filled.Release();
        }
    }
}
