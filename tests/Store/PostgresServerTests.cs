using IdentityDirectory.Tests.Infrastructure;
using Npgsql;

namespace IdentityDirectory.Tests.Store;

/// <summary>The test run's PostgreSQL server answers, and hands every caller a database of its own.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task EachCallerGetsAnEmptyDatabaseOfItsOwn()
    {
        var first = await PostgresServer.CreateDatabaseAsync();
        var second = await PostgresServer.CreateDatabaseAsync();
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
