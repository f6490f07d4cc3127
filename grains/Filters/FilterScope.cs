using IdentityDirectory.Scim;

namespace IdentityDirectory.Filters;

/// <summary>
/// The attributes a filter or a sort of one resource type may name: its core schema, its extension
/// and the common <c>meta</c> (R-FLT-1, R-META-5). Names resolve case-insensitively; an unqualified
/// name the core schema lacks resolves to the extension, as PATCH paths do (R-PAT-8: <c>manager</c>).
/// </summary>
public sealed record FilterScope(string ResourceType, SchemaDefinition Core, SchemaDefinition? Extension)
{
    public static readonly FilterScope Users = new("User", ScimSchemas.User, ScimSchemas.EnterpriseUser);
    public static readonly FilterScope Groups = new("Group", ScimSchemas.Group, null);

    /// <summary>The attribute a path names, or null when it names none.</summary>
    public FilterAttribute? Resolve(string path)
    {
        var schema = Core;
        var rest = path;
        if (Extension is not null && IsQualified(path, Extension))
            (schema, rest) = (Extension, path[(Extension.Id.Length + 1)..]);
        else if (IsQualified(path, Core))
            rest = path[(Core.Id.Length + 1)..];

        var dot = rest.IndexOf('.');
        var (name, subName) = dot < 0 ? (rest, null) : (rest[..dot], rest[(dot + 1)..]);
        AttributeDefinition? attribute;
        if (schema == Core && name.Equals(CommonAttributes.Meta.Name, StringComparison.OrdinalIgnoreCase))
            attribute = CommonAttributes.Meta;
        else if ((attribute = schema.Find(name)) is null && schema == Core && rest == path && Extension is not null)
            (schema, attribute) = (Extension, Extension.Find(name));
        if (attribute is null)
            return null;
        if (subName is null)
            return new FilterAttribute(schema.Id, attribute);
        return attribute.Find(subName) is { } sub ? new FilterAttribute(schema.Id, attribute, sub) : null;
    }

    private static bool IsQualified(string path, SchemaDefinition schema) =>
        path.Length > schema.Id.Length && path[schema.Id.Length] == ':' && path.StartsWith(schema.Id, StringComparison.OrdinalIgnoreCase);
}
