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
        var resources = new List<PageItem>(Math.Min(query.Page.Count, 100));
        long? nextCursor;
        int? storedTotal = null;
        var userFound = true;
        await using (var batch = new NpgsqlBatch(c) { BatchCommands = { Statement(query.Sql, query.Parameters) } })
        {
            if (query.CountIsStored)
                batch.BatchCommands.Add(Statement(query.CountSql!, query.CountParameters));
            if (query.Probe is { } probe)
                batch.BatchCommands.Add(Statement(UserProbe.Sql, probe.Parameters));
            await using var reader = await batch.ExecuteReaderAsync();
            nextCursor = await ReadPageAsync(reader, query.Page, resources);
            if (query.CountIsStored && await reader.NextResultAsync() && await reader.ReadAsync())
                storedTotal = Convert.ToInt32(reader.GetValue(0));
            if (query.Probe is not null && await reader.NextResultAsync())
                userFound = await reader.ReadAsync();
        }
        if (resources.Count == 0 && !userFound)
            throw new UnknownMemberException(query.Probe!.UserId);
        if (query.Page.CursorMode)
            return new ResourcePage(resources, null, nextCursor);
        var total = query.TotalShownBy(resources.Count) ?? storedTotal ?? Convert.ToInt32(await ScalarAsync(c, null, query.CountSql!, query.CountParameters));
        return new ResourcePage(resources, total, null);
    }

    /// <summary>Reads the page's rows; in cursor mode, returns the position of its last row when a next page exists.</summary>
    private static async Task<long?> ReadPageAsync(NpgsqlDataReader reader, PageRequest page, List<PageItem> resources)
    {
        if (!page.CursorMode)
        {
            while (await reader.ReadAsync())
                resources.Add(new PageItem(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            return null;
        }
        long last = 0;
        while (await reader.ReadAsync())
        {
            if (resources.Count == page.Count)
                return last; // the row past the page: a next page exists
            last = reader.GetInt64(0);
            resources.Add(new PageItem(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
        }
        return null;
    }
}
