using IdentityDirectory.Filters;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Store;

internal enum ColumnKind { FoldedText, ExactText, Ticks }

/// <param name="Sql">the column of the resource row <c>r</c>.</param>
/// <param name="Indexed">whether an index of <c>(tenant_id, column)</c> serves <c>eq</c> and ranges on it.</param>
/// <param name="Unique">whether an <c>eq</c> on it matches one resource at most.</param>
/// <param name="Nullable">whether a resource may leave it unassigned.</param>
internal sealed record Column(string Sql, ColumnKind Kind, bool Indexed, bool Unique, bool Nullable = false);

/// <summary>
/// Where the store keeps each attribute a filter or a sort names: a key column of the resource row,
/// the membership edges, or else the row's <see cref="SearchDocument"/>.
/// </summary>
internal static class ResourceColumns
{
    private const string Manager = ScimSchemaUris.EnterpriseUser + ":manager.value";

    /// <summary>Whether a top-level attribute lives in a key column only, and so stays out of the search document.</summary>
    public static bool HoldsAttribute(FilterScope scope, string name) =>
        name == "externalId" || name == (scope == FilterScope.Users ? "userName" : "displayName");

    public static Column? Of(SqlDialect dialect, FilterScope scope, FilterAttribute attribute) => attribute.Path switch
    {
        "id" => new("r.id", ColumnKind.ExactText, Indexed: true, Unique: true),
        "externalId" => new("r.external_id", ColumnKind.ExactText, Indexed: true, Unique: true, Nullable: true),
        "userName" when scope == FilterScope.Users => new("r.user_name_lc", ColumnKind.FoldedText, Indexed: true, Unique: true),
        "displayName" when scope == FilterScope.Groups => new("r.display_name_lc", ColumnKind.FoldedText, Indexed: true, Unique: true),
        // The operator's search and Entra's lookups by name: an index on the search document's display name.
        "displayName" => new(dialect.UserDisplayName, ColumnKind.FoldedText, Indexed: true, Unique: false, Nullable: true),
        Manager when scope == FilterScope.Users => new("r.manager_id", ColumnKind.ExactText, Indexed: true, Unique: false, Nullable: true),
        "meta.created" => new("r.created_ticks", ColumnKind.Ticks, Indexed: false, Unique: false),
        "meta.lastModified" => new("r.modified_ticks", ColumnKind.Ticks, Indexed: false, Unique: false),
        _ => null,
    };

    /// <summary>The membership attribute of the resource type: a user's <c>groups</c>, a group's <c>members</c>.</summary>
    public static bool IsMembership(FilterScope scope, FilterAttribute attribute) =>
        attribute.Attribute.Name == (scope == FilterScope.Users ? "groups" : "members") && !attribute.IsExtension;
}
