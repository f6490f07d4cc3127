namespace IdentityDirectory.Store;

/// <summary>
/// One page of a SCIM list or filter as SQL: <see cref="Sql"/> selects the page (in cursor mode with
/// each row's position first, and one row more than the page, which tells whether a next page
/// exists); <see cref="CountSql"/> counts the matches in index mode, with the filter's parameters alone.
/// </summary>
internal sealed record PageQuery(string Sql, (string Name, object? Value)[] Parameters, string? CountSql, (string Name, object? Value)[] FilterParameters,
    PageRequest Page);

/// <summary>
/// The SCIM list and filter queries (R-FLT-6, R-FLT-7, R-LST-3, R-LST-4) in the SQL both engines
/// speak: each supported filter as an indexed query, pages in the store's insertion order (a stable
/// order for index and keyset paging), and totals from the directory's counts where one answers them
/// (R-AWS-1 usage, member counts) rather than from a count of rows. Each engine runs the page in its
/// own query class (<see cref="SqliteDirectoryQueries"/>, <see cref="PostgresDirectoryQueries"/>); writes never come here.
/// </summary>
internal static class DirectoryQuerySql
{
    /// <param name="displayNameKey">The engine's indexed expression of a user's display name (the operator's search), over <c>r.resource</c>.</param>
    public static PageQuery Users(DirectoryPartition partition, UserQuery query, PageRequest page, string displayNameKey)
    {
        var (from, where, key, value, second) = query.Kind switch
        {
            UserQueryKind.All => ("directory_users r", "r.tenant_id = @t", "r.seq", null, null),
            UserQueryKind.Id => ("directory_users r", "r.tenant_id = @t AND r.id = @v", "r.seq", query.Value, null),
            UserQueryKind.UserName => ("directory_users r", "r.tenant_id = @t AND r.user_name_lc = @v", "r.seq", query.Value!.ToLowerInvariant(), null),
            UserQueryKind.ExternalId => ("directory_users r", "r.tenant_id = @t AND r.external_id = @v", "r.seq", query.Value, null),
            UserQueryKind.IdAndManager => ("directory_users r", "r.tenant_id = @t AND r.id = @v AND r.manager_id = @w", "r.seq", query.Value, query.Second),
            UserQueryKind.DisplayName => ("directory_users r", $"r.tenant_id = @t AND {displayNameKey} = lower(@v)", "r.seq", query.Value, null),
            UserQueryKind.MemberOfGroup => (
                "directory_members m JOIN directory_users r ON r.seq = m.user_seq", // the row by its key, not through the id index
                "m.tenant_id = @t AND m.group_id = @v", "m.user_seq", query.Value, null),
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
        var countSql = query.Kind switch
        {
            UserQueryKind.All => "SELECT COALESCE((SELECT users FROM directory_usage WHERE tenant_id = @t), 0)",
            UserQueryKind.MemberOfGroup => "SELECT COALESCE((SELECT member_count FROM directory_groups WHERE tenant_id = @t AND id = @v), 0)",
            _ => null,
        };
        return Page(from, where, key, partition, value, second, page, countSql);
    }

    public static PageQuery Groups(DirectoryPartition partition, GroupQuery query, PageRequest page)
    {
        const string memberOf = "directory_members m JOIN directory_groups r ON r.seq = m.group_seq";
        var (from, where, key, value, second) = query.Kind switch
        {
            GroupQueryKind.All => ("directory_groups r", "r.tenant_id = @t", "r.seq", null, null),
            GroupQueryKind.Id => ("directory_groups r", "r.tenant_id = @t AND r.id = @v", "r.seq", query.Value, null),
            GroupQueryKind.DisplayName => ("directory_groups r", "r.tenant_id = @t AND r.display_name_lc = @v", "r.seq", query.Value!.ToLowerInvariant(), null),
            GroupQueryKind.ExternalId => ("directory_groups r", "r.tenant_id = @t AND r.external_id = @v", "r.seq", query.Value, null),
            GroupQueryKind.HasMember => (memberOf, "m.tenant_id = @t AND m.user_id = @v", "m.group_seq", query.Value, null),
            GroupQueryKind.IdAndMember => (memberOf, "m.tenant_id = @t AND m.user_id = @w AND m.group_id = @v", "m.group_seq", query.Value, query.Second),
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
        return Page(from, where, key, partition, value, second, page,
            query.Kind == GroupQueryKind.All ? "SELECT COALESCE((SELECT groups FROM directory_usage WHERE tenant_id = @t), 0)" : null);
    }

    private static PageQuery Page(string from, string where, string key, DirectoryPartition partition, string? value, string? second,
        PageRequest page, string? countSql)
    {
        // A parameter a statement does not name is left out: PostgreSQL refuses a parameter it cannot type.
        (string, object?)[] filter = second is not null ? [("@t", partition.Key), ("@v", value), ("@w", second)]
            : value is not null ? [("@t", partition.Key), ("@v", value)]
            : [("@t", partition.Key)];
        if (page.CursorMode)
        {
            return new PageQuery($"SELECT {key}, r.id, r.version, r.resource FROM {from} WHERE {where} AND {key} > @after ORDER BY {key} LIMIT @limit",
                [.. filter, ("@after", page.After), ("@limit", page.Count + 1)], null, filter, page);
        }
        return new PageQuery($"SELECT r.id, r.version, r.resource FROM {from} WHERE {where} ORDER BY {key} LIMIT @limit OFFSET @offset",
            [.. filter, ("@limit", page.Count), ("@offset", page.StartIndex - 1)], countSql ?? $"SELECT COUNT(*) FROM {from} WHERE {where}", filter, page);
    }
}
