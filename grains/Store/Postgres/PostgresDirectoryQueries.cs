using Npgsql;
using static IdentityDirectory.Store.PostgresStatements;

namespace IdentityDirectory.Store;

/// <summary>The SCIM list and filter queries on PostgreSQL: runs a <see cref="PageQuery"/> of <see cref="ResourceQuerySql"/> on a pooled connection.</summary>
internal static class PostgresDirectoryQueries
{
    public static Task<ResourcePage> UsersAsync(NpgsqlConnection c, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        RunAsync(c, ResourceQuerySql.Users(SqlDialect.Postgres, partition, query, page));

    public static Task<ResourcePage> GroupsAsync(NpgsqlConnection c, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        RunAsync(c, ResourceQuerySql.Groups(SqlDialect.Postgres, partition, query, page));

    /// <remarks>
    /// A stored total and the probe for a required user go in the page's round trip; a count of the matches runs after
    /// it, and only when the page does not tell the total: the lookups clients send most (<c>userName eq</c>,
    /// <c>externalId eq</c>, a user's groups, whether a user is in a group) return a short first page and need none.
    /// </remarks>
    private static async Task<ResourcePage> RunAsync(NpgsqlConnection c, PageQuery query)
    {
        if (query.GuardSql is not null && Convert.ToInt64(await ScalarAsync(c, null, query.GuardSql, query.GuardParameters)) > query.ScanLimit)
            throw new TooManyResultsException(query.ScanLimit);
        var rows = new PageRows(query);
        int? storedTotal = null;
        var userFound = true;
        await using (var batch = new NpgsqlBatch(c) { BatchCommands = { Statement(query.Sql, query.Parameters) } })
        {
            if (query.CountIsStored)
                batch.BatchCommands.Add(Statement(query.CountSql!, query.CountParameters));
            if (query.Probe is { } probe)
                batch.BatchCommands.Add(Statement(UserProbe.Sql, probe.Parameters));
            await using var reader = await batch.ExecuteReaderAsync();
            while (await reader.ReadAsync() && rows.Take(reader))
            {
            }
            if (query.CountIsStored && await reader.NextResultAsync() && await reader.ReadAsync())
                storedTotal = Convert.ToInt32(reader.GetValue(0));
            if (query.Probe is not null && await reader.NextResultAsync())
                userFound = await reader.ReadAsync();
        }
        int? count = rows.NeedsCount ? storedTotal ?? Convert.ToInt32(await ScalarAsync(c, null, query.CountSql!, query.CountParameters)) : null;
        return rows.Page(userFound, count);
    }
}
