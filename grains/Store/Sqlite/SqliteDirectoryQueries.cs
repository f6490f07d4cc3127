using Microsoft.Data.Sqlite;
using static IdentityDirectory.Store.SqliteStatementCache;

namespace IdentityDirectory.Store;

/// <summary>The SCIM list and filter queries on SQLite: runs a <see cref="PageQuery"/> of <see cref="DirectoryQuerySql"/> on a reader's connection.</summary>
internal static class SqliteDirectoryQueries
{
    public static ResourcePage Users(SqliteConnection c, DirectoryPartition partition, UserQuery query, PageRequest page) =>
        Run(c, DirectoryQuerySql.Users(partition, query, page, SqliteDirectorySchema.UserDisplayNameKey));

    public static ResourcePage Groups(SqliteConnection c, DirectoryPartition partition, GroupQuery query, PageRequest page) =>
        Run(c, DirectoryQuerySql.Groups(partition, query, page));

    private static ResourcePage Run(SqliteConnection c, PageQuery query)
    {
        var resources = new List<PageItem>(Math.Min(query.Page.Count, 100));
        using (var reader = Prepared(c, null, query.Sql, query.Parameters).ExecuteReader())
        {
            if (query.Page.CursorMode)
            {
                long last = 0;
                while (reader.Read())
                {
                    if (resources.Count == query.Page.Count)
                        return new ResourcePage(resources, null, last);
                    last = reader.GetInt64(0);
                    resources.Add(new PageItem(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
                }
                return new ResourcePage(resources, null, null);
            }
            while (reader.Read())
                resources.Add(new PageItem(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }
        var total = Convert.ToInt32(Prepared(c, null, query.CountSql!, query.FilterParameters).ExecuteScalar());
        return new ResourcePage(resources, total, null);
    }
}
