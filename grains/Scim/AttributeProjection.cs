using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// R-CRUD-7 (RFC 7644 §3.4.2.5): the attributes a response shows. <c>attributes</c> keeps only the named
/// attributes and sub-attributes; <c>excludedAttributes</c> drops them; <c>schemas</c> and <c>id</c>
/// (returned always) stay whatever is asked; <c>meta</c> is returned by default, so <c>attributes</c>
/// without it drops it. Names are matched case-insensitively (R-META-5), URN-qualified or not; names
/// the schema does not know are ignored.
/// </summary>
public sealed class AttributeProjection
{
    private const string Meta = "meta";
    private static readonly string[] MetaAttributes = ["resourceType", "created", "lastModified", "location", "version"];

    private readonly Selection? _include;
    private readonly Selection? _exclude;
    private readonly string? _extension;

    private AttributeProjection(Selection? include, Selection? exclude, string? extension)
    {
        _include = include;
        _exclude = exclude;
        _extension = extension;
    }

    /// <summary>The projection a request asks for, or null where the profile has none or nothing is asked.</summary>
    public static AttributeProjection? Of(WireProfile profile, ResourceType type, Projection? projection)
    {
        if (!profile.Projection || projection is null)
            return null;
        var (core, extension) = (profile.CoreOf(type), profile.ExtensionOf(type));
        var include = Parse(projection.Attributes, core, extension);
        var exclude = Parse(projection.ExcludedAttributes, core, extension);
        return include is null && exclude is null ? null : new AttributeProjection(include, exclude, extension?.Id);
    }

    /// <summary>Whether the top-level attribute <paramref name="name"/> can appear in the response.</summary>
    public bool Returns(string name) =>
        (_include is null || _include.Children.ContainsKey(name)) && !(_exclude?.Children.TryGetValue(name, out var excluded) == true && excluded is null);

    public void Apply(JsonObject resource)
    {
        if (_include is not null)
            Include(resource, _include, top: true);
        if (_exclude is not null)
            Exclude(resource, _exclude, top: true);
        if (_extension is not null && resource["schemas"] is JsonArray schemas && !resource.ContainsKey(_extension))
        {
            foreach (var uri in schemas.Where(s => s?.GetValue<string>() == _extension).ToList())
                schemas.Remove(uri);
        }
    }

    private static bool Always(string key, bool top) => top && key is "schemas" or "id";

    private static void Include(JsonObject node, Selection selection, bool top)
    {
        foreach (var key in node.Select(p => p.Key).ToList())
        {
            if (Always(key, top))
                continue;
            if (!selection.Children.TryGetValue(key, out var child))
                node.Remove(key);
            else if (child is not null && !Narrow(node, key, child, Include))
                node.Remove(key);
        }
    }

    private static void Exclude(JsonObject node, Selection selection, bool top)
    {
        foreach (var (key, child) in selection.Children)
        {
            if (Always(key, top) || !node.ContainsKey(key))
                continue;
            if (child is null || !Narrow(node, key, child, Exclude))
                node.Remove(key);
        }
    }

    /// <summary>Applies <paramref name="apply"/> inside the value at <paramref name="key"/> (an object or each object of an array); false when nothing is left of it.</summary>
    private static bool Narrow(JsonObject node, string key, Selection selection, Action<JsonObject, Selection, bool> apply)
    {
        switch (node[key])
        {
            case JsonObject inner:
                apply(inner, selection, false);
                return inner.Count > 0;
            case JsonArray values:
                foreach (var value in values.OfType<JsonObject>())
                    apply(value, selection, false);
                foreach (var empty in values.OfType<JsonObject>().Where(v => v.Count == 0).ToList())
                    values.Remove(empty);
                return values.Count > 0;
            default:
                return true;
        }
    }

    private static Selection? Parse(string? list, SchemaDefinition core, SchemaDefinition? extension)
    {
        if (string.IsNullOrWhiteSpace(list))
            return null;
        var selection = new Selection();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            Add(selection, item, core, extension);
        return selection;
    }

    private static void Add(Selection top, string path, SchemaDefinition core, SchemaDefinition? extension)
    {
        var schema = core;
        if (extension is not null && path.StartsWith(extension.Id, StringComparison.OrdinalIgnoreCase))
        {
            path = path[extension.Id.Length..];
            if (path.Length == 0)
            {
                top.Children[extension.Id] = null;
                return;
            }
            if (path[0] != ':')
                return;
            path = path[1..];
            schema = extension;
        }
        else if (path.StartsWith(core.Id + ":", StringComparison.OrdinalIgnoreCase))
        {
            path = path[(core.Id.Length + 1)..];
        }

        var dot = path.IndexOf('.');
        var (name, subName) = dot < 0 ? (path, null) : (path[..dot], path[(dot + 1)..]);
        if (schema == core && name.Equals(Meta, StringComparison.OrdinalIgnoreCase))
        {
            var metaSub = subName is null ? null : MetaAttributes.FirstOrDefault(m => m.Equals(subName, StringComparison.OrdinalIgnoreCase));
            if (subName is null || metaSub is not null)
                top.Narrow(Meta, metaSub);
            return;
        }
        var attribute = schema.Find(name);
        if (attribute is null && schema == core && extension?.Find(name) is { } extended)
            (attribute, schema) = (extended, extension);
        if (attribute is null)
            return;
        var sub = subName is null ? null : attribute.Find(subName)?.Name;
        if (subName is not null && sub is null)
            return;
        var container = schema == core ? top : top.Into(schema.Id);
        container?.Narrow(attribute.Name, sub);
    }

    /// <summary>Selected attributes by canonical name; a null child selects the whole attribute.</summary>
    private sealed class Selection
    {
        public Dictionary<string, Selection?> Children { get; } = new(StringComparer.Ordinal);

        /// <summary>Selects <paramref name="name"/>, or only its sub-attribute <paramref name="sub"/>; a whole selection stays whole.</summary>
        public void Narrow(string name, string? sub)
        {
            if (sub is null)
                Children[name] = null;
            else
                Into(name)?.Children.TryAdd(sub, null);
        }

        /// <summary>The selection inside <paramref name="name"/>, created on first use; null when the whole of it is selected.</summary>
        public Selection? Into(string name)
        {
            if (Children.TryGetValue(name, out var existing))
                return existing;
            var created = new Selection();
            Children[name] = created;
            return created;
        }
    }
}
