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
        var rows = new PageRows(query);
        using (var reader = Prepared(c, null, query.Sql, query.Parameters).ExecuteReader())
        {
            while (reader.Read() && rows.Take(reader))
            {
            }
        }
        var userFound = !rows.NeedsUser || Prepared(c, null, UserProbe.Sql, query.Probe!.Parameters).ExecuteScalar() is not null;
        int? count = rows.NeedsCount ? Convert.ToInt32(Prepared(c, null, query.CountSql!, query.CountParameters).ExecuteScalar()) : null;
        return rows.Page(userFound, count);
    }
}
