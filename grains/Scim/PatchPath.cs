namespace IdentityDirectory.Scim;

/// <summary>
/// A parsed PATCH path: <c>attr</c>, <c>attr.sub</c>, <c>attr[filter]</c>, <c>attr[filter].sub</c>,
/// each optionally prefixed by a schema URN. An unqualified name that the core schema lacks resolves
/// to the extension (R-PAT-8: <c>manager</c>).
/// </summary>
public sealed record PatchPath(
    SchemaDefinition Schema,
    AttributeDefinition? Attribute,
    IReadOnlyList<FilterComparison> Filter,
    AttributeDefinition? SubAttribute)
{
    public bool IsExtensionRoot => Attribute is null;

    public string Display => Attribute is null ? Schema.Id
        : SubAttribute is null ? Attribute.Name : $"{Attribute.Name}.{SubAttribute.Name}";

    public static PatchPath Parse(string path, SchemaDefinition core, SchemaDefinition? extension)
    {
        var schema = core;
        var rest = path.Trim();
        if (extension is not null && rest.StartsWith(extension.Id, StringComparison.OrdinalIgnoreCase))
        {
            schema = extension;
            rest = rest[extension.Id.Length..];
            if (rest.Length == 0)
                return new PatchPath(extension, null, [], null);
            if (rest[0] != ':')
                throw InvalidPath(path);
            rest = rest[1..];
        }
        else if (rest.StartsWith(core.Id + ":", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[(core.Id.Length + 1)..];
        }
        else if (rest.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidPath(path);
        }

        string attributeName;
        string? filterText = null;
        string? subName = null;
        var bracket = rest.IndexOf('[');
        if (bracket >= 0)
        {
            var close = rest.LastIndexOf(']');
            if (close < bracket)
                throw InvalidPath(path);
            attributeName = rest[..bracket];
            filterText = rest[(bracket + 1)..close];
            var after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != '.' || after.Length == 1)
                    throw InvalidPath(path);
                subName = after[1..];
            }
        }
        else
        {
            var dot = rest.IndexOf('.');
            attributeName = dot < 0 ? rest : rest[..dot];
            subName = dot < 0 ? null : rest[(dot + 1)..];
        }

        var attribute = schema.Find(attributeName);
        if (attribute is null && schema == core && extension is not null)
        {
            attribute = extension.Find(attributeName);
            schema = extension;
        }
        if (attribute is null)
            throw InvalidPath(path);

        AttributeDefinition? sub = null;
        if (subName is not null)
        {
            sub = attribute.Find(subName) ?? throw InvalidPath(path);
        }

        IReadOnlyList<FilterComparison> filter = [];
        if (filterText is not null)
        {
            if (!attribute.MultiValued)
                throw InvalidPath(path);
            filter = FilterParser.ParseConjunction(filterText)
                .Select(term => term with { AttributePath = (attribute.Find(term.AttributePath) ?? throw InvalidPath(path)).Name })
                .ToList();
        }
        return new PatchPath(schema, attribute, filter, sub);
    }

    private static ScimException InvalidPath(string path) => ScimException.InvalidPath($"The path '{path}' is not a valid attribute path.");
}
