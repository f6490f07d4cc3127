using Microsoft.Data.Sqlite;
using static IdentityDirectory.Store.SqliteStatementCache;

namespace IdentityDirectory.Store;

/// <summary>The SCIM list and filter queries on SQLite: runs a <see cref="PageQuery"/> of <see cref="ResourceQuerySql"/> on a reader's connection.</summary>
internal static class SqliteDirectoryQueries
{
    public static ResourcePage Users(SqliteConnection c, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        Run(c, ResourceQuerySql.Users(SqlDialect.Sqlite, partition, query, page));

    public static ResourcePage Groups(SqliteConnection c, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        Run(c, ResourceQuerySql.Groups(SqlDialect.Sqlite, partition, query, page));

    private static ResourcePage Run(SqliteConnection c, PageQuery query)
    {
        if (query.GuardSql is not null && Convert.ToInt64(Prepared(c, null, query.GuardSql, query.GuardParameters).ExecuteScalar()) > query.ScanLimit)
            throw new TooManyResultsException(query.ScanLimit);
        var resources = new List<PageItem>(Math.Min(query.Page.Count, 100));
        long? nextCursor;
        using (var reader = Prepared(c, null, query.Sql, query.Parameters).ExecuteReader())
            nextCursor = ReadPage(reader, query.Page, resources);
        if (resources.Count == 0 && query.Probe is { } probe && Prepared(c, null, UserProbe.Sql, probe.Parameters).ExecuteScalar() is null)
            throw new UnknownMemberException(probe.UserId);
        if (query.Page.CursorMode)
            return new ResourcePage(resources, null, nextCursor);
        var total = query.TotalShownBy(resources.Count) ?? Convert.ToInt32(Prepared(c, null, query.CountSql!, query.CountParameters).ExecuteScalar());
        return new ResourcePage(resources, total, null);
    }

    /// <summary>Reads the page's rows; in cursor mode, returns the position of its last row when a next page exists.</summary>
    private static long? ReadPage(SqliteDataReader reader, PageRequest page, List<PageItem> resources)
    {
        if (!page.CursorMode)
        {
            while (reader.Read())
                resources.Add(new PageItem(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            return null;
        }
        long last = 0;
        while (reader.Read())
        {
            if (resources.Count == page.Count)
                return last; // the row past the page: a next page exists
            last = reader.GetInt64(0);
            resources.Add(new PageItem(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
        }
        return null;
    }
}
