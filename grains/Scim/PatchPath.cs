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

    /// <summary>
    /// Parses a path exactly as written (R-PAT-1): <c>[URN ":"] ATTRNAME ["[" filter "]"] ["." ATTRNAME]</c>,
    /// names of letters, digits, <c>-</c> and <c>_</c> (RFC 7643 §2.1). Anything else, surrounding
    /// whitespace included, is 400 invalidPath; nothing is trimmed or guessed.
    /// </summary>
    public static PatchPath Parse(string path, SchemaDefinition core, SchemaDefinition? extension)
    {
        var schema = core;
        var rest = path;
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

        var position = 0;
        var attributeName = Name(rest, ref position) ?? throw InvalidPath(path);
        string? filterText = null;
        if (position < rest.Length && rest[position] == '[')
        {
            var close = ClosingBracket(rest, position) ?? throw InvalidPath(path);
            filterText = rest[(position + 1)..close];
            position = close + 1;
        }
        string? subName = null;
        if (position < rest.Length && rest[position] == '.')
        {
            position++;
            subName = Name(rest, ref position) ?? throw InvalidPath(path);
        }
        if (position != rest.Length)
            throw InvalidPath(path);

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
            sub = attribute.Find(subName) ?? throw InvalidPath(path);

        IReadOnlyList<FilterComparison> filter = [];
        if (filterText is not null)
        {
            if (!attribute.MultiValued)
                throw InvalidPath(path);
            filter = ValueFilter(filterText, attribute, path);
        }
        return new PatchPath(schema, attribute, filter, sub);
    }

    /// <summary>True when <paramref name="path"/> is one bare attribute name, known or not.</summary>
    public static bool IsAttributeName(string path)
    {
        var position = 0;
        return Name(path, ref position) is not null && position == path.Length;
    }

    /// <summary>An attribute name at <paramref name="position"/> (a letter, then letters, digits, '-', '_'; or <c>$ref</c>), or null.</summary>
    private static string? Name(string text, ref int position)
    {
        var start = position;
        if (position < text.Length && text[position] == '$')
            position++;
        if (position >= text.Length || !char.IsAsciiLetter(text[position]))
            return null;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '-' or '_'))
            position++;
        return text[start..position];
    }

    /// <summary>The index of the ']' that closes the '[' at <paramref name="open"/>, skipping quoted filter values.</summary>
    private static int? ClosingBracket(string text, int open)
    {
        var quoted = false;
        for (var i = open + 1; i < text.Length; i++)
        {
            if (quoted && text[i] == '\\')
                i++;
            else if (text[i] == '"')
                quoted = !quoted;
            else if (!quoted && text[i] == ']')
                return i;
        }
        return null;
    }

    /// <summary>A value filter on the attribute's sub-attributes; any fault in it is a fault of the path.</summary>
    private static IReadOnlyList<FilterComparison> ValueFilter(string text, AttributeDefinition attribute, string path)
    {
        IReadOnlyList<FilterComparison> terms;
        try
        {
            terms = FilterParser.ParseConjunction(text);
        }
        catch (ScimException)
        {
            throw InvalidPath(path);
        }
        return terms.Select(term => term with { AttributePath = (attribute.Find(term.AttributePath) ?? throw InvalidPath(path)).Name }).ToList();
    }

    private static ScimException InvalidPath(string path) => ScimException.InvalidPath($"The path '{path}' is not a valid attribute path.");
}
