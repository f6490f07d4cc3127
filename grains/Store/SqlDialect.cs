namespace IdentityDirectory.Store;

/// <summary>
/// What the filter SQL of <see cref="ResourceQuerySql"/> says differently on each engine: how it reads
/// the search document and compares strings. Strings compare by code point on both (SQLite's BINARY
/// collation, PostgreSQL's "C"), the order the rules' lexicographic comparison means (R-FLT-3).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A user's lower-cased display name in its search document, as the index on it is written.</summary>
    public abstract string UserDisplayName { get; }

    /// <summary>The parameter value that names a path of object keys in <see cref="JsonText"/>.</summary>
    public abstract object JsonPath(IReadOnlyList<string> keys);

    /// <summary>The string or boolean at a path of a JSON value, as SQL, or NULL when absent.</summary>
    public abstract string JsonText(string json, string path);

    /// <summary>Whether a path of a JSON value holds anything.</summary>
    public abstract string JsonExists(string json, string path);

    /// <summary>A FROM item of the elements of the array at a path, each as <c>{alias}.value</c>, in order.</summary>
    public abstract string JsonElements(string json, string path, string alias);

    /// <summary>The position of an element of <see cref="JsonElements"/>, for ordering.</summary>
    public abstract string ElementPosition(string alias);

    /// <summary>The parameter value <see cref="JsonText"/> equals for a boolean.</summary>
    public abstract object Boolean(bool value);

    public abstract string Contains(string text, string part);

    public abstract string StartsWith(string text, string part);

    public abstract string EndsWith(string text, string part);

    /// <summary>An ordering comparison (<c>&lt;</c>, <c>&gt;=</c>, …) by code point.</summary>
    public abstract string Compare(string left, string op, string right);

    /// <summary>A text of the search document as an ORDER BY term by code point.</summary>
    public abstract string OrderBy(string text);

    public static readonly SqlDialect Sqlite = new SqliteDialect();

    public static readonly SqlDialect Postgres = new PostgresDialect();

    private sealed class SqliteDialect : SqlDialect
    {
        public override string UserDisplayName => "json_extract(r.search, '$.displayName')";

        public override object JsonPath(IReadOnlyList<string> keys) => "$" + string.Concat(keys.Select(k => ".\"" + k + "\""));

        public override string JsonText(string json, string path) => $"json_extract({json}, {path})";

        public override string JsonExists(string json, string path) => $"json_type({json}, {path}) IS NOT NULL";

        public override string JsonElements(string json, string path, string alias) => $"json_each({json}, {path}) {alias}";

        public override string ElementPosition(string alias) => $"{alias}.key";

        public override object Boolean(bool value) => value ? 1L : 0L;

        public override string Contains(string text, string part) => $"instr({text}, {part}) > 0";

        public override string StartsWith(string text, string part) => $"substr({text}, 1, length({part})) = {part}";

        public override string EndsWith(string text, string part) => $"substr({text}, -length({part})) = {part}";

        public override string Compare(string left, string op, string right) => $"{left} {op} {right}";

        public override string OrderBy(string text) => text;
    }

    /// <summary>The search document is <c>jsonb</c>; key columns are <c>COLLATE "C"</c>, and so is every ordering here.</summary>
    private sealed class PostgresDialect : SqlDialect
    {
        public override string UserDisplayName => "(r.search ->> 'displayName')";

        public override object JsonPath(IReadOnlyList<string> keys) => keys.ToArray();

        public override string JsonText(string json, string path) => $"({json} #>> {path})";

        public override string JsonExists(string json, string path) => $"({json} #> {path}) IS NOT NULL";

        public override string JsonElements(string json, string path, string alias) =>
            $"jsonb_array_elements({json} #> {path}) WITH ORDINALITY {alias}(value, position)";

        public override string ElementPosition(string alias) => $"{alias}.position";

        public override object Boolean(bool value) => value ? "true" : "false";

        public override string Contains(string text, string part) => $"strpos({text}, {part}) > 0";

        public override string StartsWith(string text, string part) => $"left({text}, length({part})) = {part}";

        public override string EndsWith(string text, string part) => $"right({text}, length({part})) = {part}";

        // The collation on the parameter decides the comparison's and keeps a key column's index usable.
        public override string Compare(string left, string op, string right) => $"{left} {op} ({right} COLLATE \"C\")";

        public override string OrderBy(string text) => $"({text} COLLATE \"C\")";
    }
}
