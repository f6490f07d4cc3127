using System.Data.Common;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Store;

/// <summary>
/// One page of a SCIM list as SQL: <see cref="Sql"/> selects the page (in cursor mode each row's
/// position first, and one row more than the page, which tells whether a next page exists);
/// <see cref="CountSql"/> tells the total in index mode, needed only when the page does not tell it (<see cref="TotalShownBy"/>);
/// <see cref="CountIsStored"/> when it reads a total the store keeps (the usage row, a group's member count) rather than
/// counting the matches. <see cref="GuardSql"/>, when set, counts the resources the filter must examine outside an
/// index, which may not exceed <see cref="ScanLimit"/> (R-FLT-5). <see cref="Probe"/>, when set, finds the query's
/// <see cref="ResourceQuery.RequiredUser"/>; its answer matters only for an empty page, as a user's memberships go with the user (I-2).
/// </summary>
internal sealed record PageQuery(
    string Sql, (string Name, object? Value)[] Parameters,
    string? CountSql, bool CountIsStored, (string Name, object? Value)[] CountParameters,
    string? GuardSql, (string Name, object? Value)[] GuardParameters, int ScanLimit,
    PageRequest Page, UserProbe? Probe = null)
{
    /// <summary>
    /// The total of the matches when the page itself tells it, so <see cref="CountSql"/> need not run: a page
    /// that holds fewer rows than it asked for ends the matches, unless it is empty past the first row.
    /// </summary>
    public int? TotalShownBy(int rows) => rows < Page.Count && (rows > 0 || Page.StartIndex == 1) ? Page.StartIndex - 1 + rows : null;
}

/// <summary>
/// A page's rows as either engine's reader gives them (<see cref="Take"/> each until it says the page is full), and the
/// page they make: in cursor mode with the next page's position, in index mode with the total, which
/// <see cref="PageQuery.TotalShownBy"/> tells when it can (else <see cref="NeedsCount"/>); an empty page whose required
/// user was not found is refused (<see cref="NeedsUser"/>: only then is the answer of <see cref="PageQuery.Probe"/> needed).
/// </summary>
internal sealed class PageRows(PageQuery query)
{
    private readonly List<PageItem> _items = new(Math.Min(query.Page.Count, 100));
    private long _last;
    private long? _nextCursor;

    public bool NeedsUser => _items.Count == 0 && query.Probe is not null;

    public bool NeedsCount => !query.Page.CursorMode && query.TotalShownBy(_items.Count) is null;

    /// <summary>Takes the reader's current row; false for the row past a full cursor page, which only says a next page exists.</summary>
    public bool Take(DbDataReader row)
    {
        if (!query.Page.CursorMode)
        {
            _items.Add(new PageItem(row.GetString(0), row.GetInt64(1), row.GetFieldValue<byte[]>(2)));
            return true;
        }
        if (_items.Count == query.Page.Count)
        {
            _nextCursor = _last;
            return false;
        }
        _last = row.GetInt64(0);
        _items.Add(new PageItem(row.GetString(1), row.GetInt64(2), row.GetFieldValue<byte[]>(3)));
        return true;
    }

    /// <param name="userFound">whether the query's required user exists, when <see cref="NeedsUser"/>.</param>
    /// <param name="count">the total from <see cref="PageQuery.CountSql"/>, when <see cref="NeedsCount"/>.</param>
    public ResourcePage Page(bool userFound, int? count)
    {
        if (NeedsUser && !userFound)
            throw new UnknownMemberException(query.Probe!.UserId);
        if (query.Page.CursorMode)
            return new ResourcePage(_items, null, _nextCursor);
        return new ResourcePage(_items, query.TotalShownBy(_items.Count) ?? count!.Value, null);
    }
}

/// <summary>Finds the user a query requires (<see cref="ResourceQuery.RequiredUser"/>): a row when it exists.</summary>
internal sealed record UserProbe(string UserId, (string Name, object? Value)[] Parameters)
{
    public const string Sql = "SELECT 1 FROM directory_users WHERE tenant_id = @t AND id = @id";
}

/// <summary>
/// Compiles a <see cref="ResourceQuery"/> to parameterized SQL (no value of a request is ever part of
/// the SQL text). Key columns answer <c>eq</c> and ranges (<c>sw</c> is a range on the lower-cased
/// key) through their indexes, membership filters go through the edge indexes, and everything else
/// reads the row's <see cref="SearchDocument"/>. Every predicate is two-valued: a comparison on an
/// unassigned attribute is false, so <c>not</c> inverts it exactly (R-FLT-3).
/// </summary>
internal sealed class ResourceQuerySql
{
    private readonly SqlDialect _dialect;
    private readonly FilterScope _scope;
    private readonly string _table;
    private List<(string Name, object? Value)> _parameters = [];
    private int _names;

    private ResourceQuerySql(SqlDialect dialect, FilterScope scope)
    {
        _dialect = dialect;
        _scope = scope;
        _table = scope == FilterScope.Users ? "directory_users" : "directory_groups";
    }

    public static PageQuery Users(SqlDialect dialect, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        new ResourceQuerySql(dialect, FilterScope.Users).Build(partition, query, page);

    public static PageQuery Groups(SqlDialect dialect, DirectoryPartition partition, ResourceQuery query, PageRequest page) =>
        new ResourceQuerySql(dialect, FilterScope.Groups).Build(partition, query, page);

    private PageQuery Build(DirectoryPartition partition, ResourceQuery query, PageRequest page)
    {
        var built = BuildPage(partition, query, page);
        return query.RequiredUser is { } user ? built with { Probe = new UserProbe(user, [("@t", partition.Key), ("@id", user)]) } : built;
    }

    private PageQuery BuildPage(DirectoryPartition partition, ResourceQuery query, PageRequest page)
    {
        (string, object?) tenant = ("@t", partition.Key);
        if (_scope == FilterScope.Users && query.Sort is null
            && query.Filter is AttributeFilter { Operator: FilterOperator.Eq, Value: string groupId } only && ResourceColumns.IsMembership(_scope, only.Attribute))
            return MembersOfGroup(tenant, groupId, page);

        var where = query.Filter is null ? "" : " AND " + Where(query.Filter, null);
        (string, object?)[] filterParameters = [tenant, .. _parameters];
        _parameters = [];
        var orderBy = OrderBy(query.Sort);
        (string, object?)[] orderParameters = [.. _parameters];
        var (guardSql, guardParameters) = Guard(tenant, query);
        var from = $"{_table} r WHERE r.tenant_id = @t{where}";
        var countSql = query.Filter is null ? $"SELECT COALESCE((SELECT {UsageColumn} FROM directory_usage WHERE tenant_id = @t), 0)" : $"SELECT COUNT(*) FROM {from}";
        if (page.CursorMode)
        {
            return new PageQuery($"SELECT r.seq, r.id, r.version, r.resource FROM {from} AND r.seq > @after ORDER BY r.seq {StoreParameters.Limit}",
                [.. filterParameters, ("@after", page.After), ("@limit", page.Count + 1)], null, false, [], guardSql, guardParameters, query.ScanLimit, page);
        }
        var (window, windowParameters) = StoreParameters.Window(page);
        return new PageQuery($"SELECT r.id, r.version, r.resource FROM {from} ORDER BY {orderBy} {window}",
            [.. filterParameters, .. orderParameters, .. windowParameters], countSql, query.Filter is null, filterParameters,
            guardSql, guardParameters, query.ScanLimit, page);
    }

    private string UsageColumn => _scope == FilterScope.Users ? "users" : "groups";

    /// <summary>
    /// The members of one group in edge order, counted by the group's member count: the first page of a
    /// 100,000-member group reads 100 edges rather than counting them all (R-FLT-7).
    /// </summary>
    private static PageQuery MembersOfGroup((string, object?) tenant, string groupId, PageRequest page)
    {
        const string from = "directory_members m JOIN directory_users r ON r.seq = m.user_seq WHERE m.tenant_id = @t AND m.group_id = @g";
        (string, object?)[] filter = [tenant, ("@g", groupId)];
        if (page.CursorMode)
        {
            return new PageQuery($"SELECT m.user_seq, r.id, r.version, r.resource FROM {from} AND m.user_seq > @after ORDER BY m.user_seq {StoreParameters.Limit}",
                [.. filter, ("@after", page.After), ("@limit", page.Count + 1)], null, false, [], null, [], int.MaxValue, page);
        }
        var (window, windowParameters) = StoreParameters.Window(page);
        return new PageQuery($"SELECT r.id, r.version, r.resource FROM {from} ORDER BY m.user_seq {window}",
            [.. filter, .. windowParameters],
            "SELECT COALESCE((SELECT member_count FROM directory_groups WHERE tenant_id = @t AND id = @g), 0)", true, filter,
            null, [], int.MaxValue, page);
    }

    // The guard (R-FLT-5) ---------------------------------------------------------------------------

    /// <summary>
    /// What a query must examine outside its indexes: nothing, when indexes answer the filter and the
    /// order; the resources its indexed part selects, counted up to one past the limit; or, with no
    /// indexed part, the whole directory, whose size the usage row holds.
    /// </summary>
    private (string?, (string, object?)[]) Guard((string, object?) tenant, ResourceQuery query)
    {
        var filter = query.Filter;
        var sortScans = query.Sort is { } sort && ResourceColumns.Of(_dialect, _scope, sort.Attribute) is not { Indexed: true };
        if ((filter is null || Exact(filter)) && !sortScans)
            return (null, []);
        if (filter is not null && Unique(filter))
            return (null, []);
        if (filter is null || !Indexed(filter))
            return ($"SELECT COALESCE((SELECT {UsageColumn} FROM directory_usage WHERE tenant_id = @t), 0)", [tenant]);
        var saved = _parameters;
        _parameters = [];
        var driver = Where(Driver(filter), null);
        (string, object?)[] parameters = [tenant, .. _parameters, ("@limit", query.ScanLimit == int.MaxValue ? int.MaxValue : query.ScanLimit + 1)];
        _parameters = saved;
        return ($"SELECT COUNT(*) FROM (SELECT 1 FROM {_table} r WHERE r.tenant_id = @t AND {driver} {StoreParameters.Limit}) candidates", parameters);
    }

    /// <summary>Whether an index can produce every resource the filter matches (and perhaps more).</summary>
    private bool Indexed(FilterExpression filter) => filter switch
    {
        AndFilter all => Indexed(all.Left) || Indexed(all.Right),
        OrFilter any => Indexed(any.Left) && Indexed(any.Right),
        AttributeFilter comparison => IndexedComparison(comparison),
        _ => false,
    };

    /// <summary>Whether indexes alone decide the filter.</summary>
    private bool Exact(FilterExpression filter) => filter switch
    {
        AndFilter all => Exact(all.Left) && Exact(all.Right),
        OrFilter any => Exact(any.Left) && Exact(any.Right),
        AttributeFilter comparison => IndexedComparison(comparison),
        _ => false,
    };

    /// <summary>Whether the filter matches one resource at most, found through a unique index.</summary>
    private bool Unique(FilterExpression filter) => filter switch
    {
        AndFilter all => Unique(all.Left) || Unique(all.Right),
        AttributeFilter { Operator: FilterOperator.Eq, Value: not null } comparison => ResourceColumns.Of(_dialect, _scope, comparison.Attribute) is { Unique: true },
        _ => false,
    };

    /// <summary>The part of an <see cref="Indexed"/> filter that indexes answer.</summary>
    private FilterExpression Driver(FilterExpression filter) => filter switch
    {
        AndFilter all when !Indexed(all.Left) => Driver(all.Right),
        AndFilter all when !Indexed(all.Right) => Driver(all.Left),
        AndFilter all => new AndFilter(Driver(all.Left), Driver(all.Right)),
        OrFilter any => new OrFilter(Driver(any.Left), Driver(any.Right)),
        _ => filter,
    };

    private bool IndexedComparison(AttributeFilter comparison)
    {
        if (comparison.Value is null)
            return false;
        if (ResourceColumns.IsMembership(_scope, comparison.Attribute))
            return comparison.Operator == FilterOperator.Eq;
        return ResourceColumns.Of(_dialect, _scope, comparison.Attribute) is { Indexed: true }
            && comparison.Operator is FilterOperator.Eq or FilterOperator.Gt or FilterOperator.Ge or FilterOperator.Lt or FilterOperator.Le
                || comparison.Operator == FilterOperator.Sw && comparison.Value is string { Length: > 0 };
    }

    // Predicates --------------------------------------------------------------------------------------

    /// <summary>Where the attributes of a value path are read: an element of a search-document array, or a membership edge.</summary>
    private sealed record Element(string Alias, bool IsEdge, string EdgeValue = "");

    private string Where(FilterExpression filter, Element? element) => filter switch
    {
        AndFilter all => $"({Where(all.Left, element)} AND {Where(all.Right, element)})",
        OrFilter any => $"({Where(any.Left, element)} OR {Where(any.Right, element)})",
        NotFilter inverse => $"NOT ({Where(inverse.Operand, element)})",
        ValuePathFilter path => ValuePath(path),
        AttributeFilter comparison when element is { IsEdge: true } => Scalar(element.EdgeValue, ValueKind.ExactText, comparison),
        AttributeFilter comparison when element is not null => ElementComparison(comparison, element.Alias),
        AttributeFilter comparison => Comparison(comparison),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private string Comparison(AttributeFilter comparison)
    {
        var attribute = comparison.Attribute;
        if (ResourceColumns.IsMembership(_scope, attribute))
            return Membership(comparison);
        if (ResourceColumns.Of(_dialect, _scope, attribute) is { } column)
            return Scalar(column.Sql, column.Kind switch { ColumnKind.Ticks => ValueKind.Ticks, ColumnKind.FoldedText => ValueKind.FoldedText, _ => ValueKind.ExactText },
                comparison, column.Indexed);
        if (attribute.Attribute == CommonAttributes.Meta)
        {
            // meta and meta.resourceType are there for every resource; created and lastModified are columns.
            return attribute.Sub is null ? "(1 = 1)" : Scalar(Parameter(_scope.ResourceType), ValueKind.ExactText, comparison);
        }
        var keys = DocumentKeys(attribute);
        if (attribute.Attribute.MultiValued)
        {
            if (attribute.Sub is null)
                return _dialect.JsonExists("r.search", Parameter(_dialect.JsonPath(keys)));
            // eq null and ne null ask whether any value is assigned, not whether some element lacks one.
            var assigned = comparison is { Value: null, Operator: not FilterOperator.Pr };
            var alias = Alias("e");
            var any = $"EXISTS (SELECT 1 FROM {_dialect.JsonElements("r.search", Parameter(_dialect.JsonPath(keys)), alias)} "
                + $"WHERE {ElementComparison(assigned ? comparison with { Operator = FilterOperator.Pr } : comparison, alias)})";
            return comparison is { Operator: FilterOperator.Eq, Value: null } ? $"NOT ({any})" : any;
        }
        var path = Parameter(_dialect.JsonPath(attribute.Sub is null ? keys : [.. keys, attribute.Sub.Name]));
        if (attribute.Leaf.Type == AttributeType.Complex)
            return _dialect.JsonExists("r.search", path); // pr; the parser allows nothing else on a complex attribute
        return Scalar(_dialect.JsonText("r.search", path), KindOf(attribute.Leaf), comparison);
    }

    private string ElementComparison(AttributeFilter comparison, string alias)
    {
        var path = Parameter(_dialect.JsonPath([comparison.Attribute.Sub!.Name]));
        return comparison.Operator == FilterOperator.Pr
            ? _dialect.JsonExists($"{alias}.value", path)
            : Scalar(_dialect.JsonText($"{alias}.value", path), KindOf(comparison.Attribute.Sub), comparison);
    }

    private string ValuePath(ValuePathFilter path)
    {
        if (ResourceColumns.IsMembership(_scope, path.Attribute))
        {
            var edge = Alias("m");
            var (join, value) = EdgeOf(edge);
            return $"EXISTS (SELECT 1 FROM directory_members {edge} WHERE {join} AND {Where(path.Filter, new Element(edge, IsEdge: true, value))})";
        }
        var alias = Alias("e");
        var elements = _dialect.JsonElements("r.search", Parameter(_dialect.JsonPath(DocumentKeys(path.Attribute))), alias);
        return $"EXISTS (SELECT 1 FROM {elements} WHERE {Where(path.Filter, new Element(alias, IsEdge: false))})";
    }

    /// <summary>A user's groups or a group's members (R-FLT-7): <c>eq</c> through the edge indexes, anything else over the resource's own edges.</summary>
    private string Membership(AttributeFilter comparison)
    {
        var present = _scope == FilterScope.Groups
            ? "r.member_count > 0"
            : $"EXISTS (SELECT 1 FROM directory_members m WHERE m.tenant_id = @t AND m.user_id = r.id)";
        switch (comparison)
        {
            case { Operator: FilterOperator.Pr } or { Operator: FilterOperator.Ne, Value: null }:
                return present;
            case { Operator: FilterOperator.Eq, Value: null }:
                return $"NOT ({present})";
            case { Operator: FilterOperator.Eq, Value: string id }:
                var p = Parameter(id);
                return _scope == FilterScope.Users
                    ? $"r.seq IN (SELECT m.user_seq FROM directory_members m WHERE m.tenant_id = @t AND m.group_id = {p})"
                    : $"r.seq IN (SELECT m.group_seq FROM directory_members m WHERE m.tenant_id = @t AND m.user_id = {p})";
            default:
                var edge = Alias("m");
                var (join, value) = EdgeOf(edge);
                return $"EXISTS (SELECT 1 FROM directory_members {edge} WHERE {join} AND {Scalar(value, ValueKind.ExactText, comparison)})";
        }
    }

    /// <summary>The condition that ties an edge to the resource row, and the id at its other end.</summary>
    private (string Join, string Value) EdgeOf(string edge) => _scope == FilterScope.Users
        ? ($"{edge}.tenant_id = @t AND {edge}.user_id = r.id", $"{edge}.group_id")
        : ($"{edge}.tenant_id = @t AND {edge}.group_id = r.id", $"{edge}.user_id");

    private enum ValueKind { FoldedText, ExactText, Ticks, Boolean }

    private static ValueKind KindOf(AttributeDefinition attribute) => attribute.Type switch
    {
        AttributeType.Boolean => ValueKind.Boolean,
        _ => attribute.CaseExact ? ValueKind.ExactText : ValueKind.FoldedText,
    };

    /// <summary>
    /// A comparison on a value that is NULL when unassigned, written so that it is never NULL itself:
    /// <c>x IS NOT NULL AND x op @p</c> is false, not unknown, for an unassigned value.
    /// </summary>
    private string Scalar(string x, ValueKind kind, AttributeFilter comparison, bool indexed = false)
    {
        var isText = kind is ValueKind.FoldedText or ValueKind.ExactText;
        var present = isText ? $"({x} IS NOT NULL AND {x} <> '')" : $"{x} IS NOT NULL";
        switch (comparison)
        {
            case { Operator: FilterOperator.Pr } or { Operator: FilterOperator.Ne, Value: null }:
                return present;
            case { Operator: FilterOperator.Eq, Value: null }:
                return $"NOT ({present})";
        }
        var value = comparison.Value switch
        {
            bool flag => _dialect.Boolean(flag),
            DateTimeOffset instant => instant.UtcTicks,
            string text => kind == ValueKind.FoldedText ? FilterText.Fold(text) : text,
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
        if (value is "" && comparison.Operator is FilterOperator.Co or FilterOperator.Sw or FilterOperator.Ew)
            return present; // every assigned string contains, starts and ends with ""
        var p = Parameter(value);
        var test = comparison.Operator switch
        {
            FilterOperator.Eq => $"{x} = {p}",
            FilterOperator.Ne => $"{x} <> {p}",
            FilterOperator.Co => _dialect.Contains(x, p),
            FilterOperator.Sw when indexed && Successor((string)value) is { } end =>
                $"{_dialect.Compare(x, ">=", p)} AND {_dialect.Compare(x, "<", Parameter(end))}",
            FilterOperator.Sw => _dialect.StartsWith(x, p),
            FilterOperator.Ew => _dialect.EndsWith(x, p),
            FilterOperator.Gt => isText ? _dialect.Compare(x, ">", p) : $"{x} > {p}",
            FilterOperator.Ge => isText ? _dialect.Compare(x, ">=", p) : $"{x} >= {p}",
            FilterOperator.Lt => isText ? _dialect.Compare(x, "<", p) : $"{x} < {p}",
            FilterOperator.Le => isText ? _dialect.Compare(x, "<=", p) : $"{x} <= {p}",
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
        return $"({x} IS NOT NULL AND {test})";
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/> in code point
    /// order: the prefix with its last code point raised by one. Null when that code point is the last.
    /// </summary>
    private static string? Successor(string prefix)
    {
        var last = char.IsLowSurrogate(prefix[^1]) && prefix.Length > 1 ? 2 : 1;
        var point = char.ConvertToUtf32(prefix, prefix.Length - last);
        if (point == 0x10FFFF)
            return null;
        var next = point + 1 == 0xD800 ? 0xE000 : point + 1;
        return prefix[..^last] + char.ConvertFromUtf32(next);
    }

    // Order (R-LST-2, R-LST-5) --------------------------------------------------------------------------

    /// <summary>
    /// By the sort attribute, unassigned values last when ascending and first when descending
    /// (RFC 7644 §3.4.2.3), a multi-valued attribute by its primary value or else its first; then by
    /// insertion order, so equal keys keep a stable order. Descending is the exact reverse.
    /// </summary>
    private string OrderBy(ResourceSort? sort)
    {
        if (sort is null)
            return "r.seq";
        var direction = sort.Descending ? " DESC" : "";
        var (key, nullable) = SortKey(sort.Attribute);
        var unassigned = nullable ? $"({key} IS NULL){direction}, " : "";
        return $"{unassigned}{key}{direction}, r.seq{direction}";
    }

    private (string Key, bool Nullable) SortKey(FilterAttribute attribute)
    {
        if (ResourceColumns.Of(_dialect, _scope, attribute) is { } column)
            return (column.Sql, column.Nullable);
        if (attribute.Attribute == CommonAttributes.Meta)
            return ("r.seq", false); // meta.resourceType: the same for every resource
        var keys = DocumentKeys(attribute);
        if (!attribute.Attribute.MultiValued)
            return (_dialect.OrderBy(_dialect.JsonText("r.search", Parameter(_dialect.JsonPath(attribute.Sub is null ? keys : [.. keys, attribute.Sub.Name])))), true);
        var alias = Alias("e");
        var elements = _dialect.JsonElements("r.search", Parameter(_dialect.JsonPath(keys)), alias);
        var primary = _dialect.JsonText($"{alias}.value", Parameter(_dialect.JsonPath(["primary"])));
        var value = _dialect.JsonText($"{alias}.value", Parameter(_dialect.JsonPath([attribute.Sub!.Name])));
        return ($"(SELECT {_dialect.OrderBy(value)} FROM {elements} ORDER BY CASE WHEN {primary} = {Parameter(_dialect.Boolean(true))} THEN 0 ELSE 1 END, {_dialect.ElementPosition(alias)} LIMIT 1)", true);
    }

    // Helpers ---------------------------------------------------------------------------------------------

    /// <summary>The keys of an attribute in the search document: an extension's sit under its URN.</summary>
    private static List<string> DocumentKeys(FilterAttribute attribute) =>
        attribute.IsExtension ? [attribute.SchemaId, attribute.Attribute.Name] : [attribute.Attribute.Name];

    private string Parameter(object value)
    {
        var name = $"@p{_names++}";
        _parameters.Add((name, value));
        return name;
    }

    private string Alias(string prefix) => $"{prefix}{_names++}";
}
