using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>Parses request bodies and turns resource bodies into their canonical stored form.</summary>
public static class ResourceBody
{
    /// <summary>
    /// Parses the body of a request for the resource or message <paramref name="schema"/> names: one JSON
    /// object (<see cref="StrictJson"/>, R-GEN-3) whose <c>schemas</c>, when present, is an array of strings
    /// naming <paramref name="schema"/> (R-ERR-3); an absent one is refused where the profile requires it,
    /// else <paramref name="schema"/> is assumed. <c>null</c> and <c>[]</c> are absent, as everywhere (RFC 7643 §2.5, R-PAT-14).
    /// </summary>
    public static JsonObject Parse(WireProfile profile, string? body, string schema)
    {
        var parsed = StrictJson.ParseObject(body ?? throw ScimException.InvalidSyntax());
        if (parsed["schemas"] is not (null or JsonArray { Count: 0 }) and var schemas)
        {
            if (schemas is not JsonArray uris || uris.Any(uri => uri is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
                throw ScimException.InvalidSyntax("'schemas' must be an array of schema URIs.");
            if (!uris.Any(uri => string.Equals(uri!.GetValue<string>(), schema, StringComparison.OrdinalIgnoreCase)))
                throw ScimException.InvalidSyntax($"'schemas' must name {schema}.");
        }
        else if (profile.SchemasRequired)
        {
            throw ScimException.InvalidSyntax($"'schemas' is required and must name {schema}.");
        }
        return parsed;
    }

    /// <summary>
    /// Canonical attributes of a POST/PUT body: server-owned keys (<c>schemas</c>, <c>id</c>, <c>meta</c>,
    /// <c>groups</c>) and ignored ones (<c>password</c>) dropped, names canonical, values normalized.
    /// </summary>
    public static JsonObject Normalize(WireProfile profile, JsonObject body, SchemaDefinition core, SchemaDefinition? extension)
    {
        var values = new Dictionary<string, JsonNode>();
        foreach (var (key, value) in body)
        {
            if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase) || key.Equals("meta", StringComparison.OrdinalIgnoreCase))
                continue;
            if (extension is not null && key.Equals(extension.Id, StringComparison.OrdinalIgnoreCase))
            {
                var ext = NormalizeExtension(profile, extension, value);
                if (ext is not null)
                    values[extension.Id] = ext;
                continue;
            }
            var name = key.StartsWith(core.Id + ":", StringComparison.OrdinalIgnoreCase) ? key[(core.Id.Length + 1)..] : key;
            var attribute = core.Find(name) ?? throw ScimException.InvalidSyntax($"Attribute '{key}' is not supported.");
            if (attribute.Support is AttributeSupport.ServerOwned or AttributeSupport.Ignored)
                continue;
            var normalized = AttributeValues.Normalize(profile, attribute, value, attribute.Name);
            if (normalized is not null)
                values[attribute.Name] = normalized;
        }
        return Ordered(core, extension, values);
    }

    public static JsonObject? NormalizeExtension(WireProfile profile, SchemaDefinition extension, JsonNode? value)
    {
        if (value is null)
            return null;
        if (value is not JsonObject input)
            throw ScimException.InvalidValue($"'{extension.Id}' must be an object.");
        var values = new Dictionary<string, JsonNode>();
        foreach (var (key, child) in input)
        {
            var attribute = extension.Find(key) ?? throw ScimException.InvalidSyntax($"Attribute '{extension.Id}:{key}' is not supported.");
            var normalized = AttributeValues.Normalize(profile, attribute, child, attribute.Name);
            if (normalized is not null)
                values[attribute.Name] = normalized;
        }
        return AttributeValues.Ordered(extension.Attributes, values);
    }

    /// <summary>Re-orders a resource's top-level keys to schema order (extension last).</summary>
    public static JsonObject Ordered(SchemaDefinition core, SchemaDefinition? extension, IReadOnlyDictionary<string, JsonNode> values)
    {
        var result = AttributeValues.Ordered(core.Attributes, values) ?? new JsonObject();
        if (extension is not null && values.TryGetValue(extension.Id, out var ext))
            result[extension.Id] = ext;
        return result;
    }

    /// <summary>True when the body names <paramref name="attribute"/> with a non-empty value.</summary>
    public static bool HasNonEmpty(JsonObject body, string attribute)
    {
        foreach (var (key, value) in body)
        {
            if (key.Equals(attribute, StringComparison.OrdinalIgnoreCase))
                return value is JsonArray array ? array.Any(item => item is not null) : value is not null;
        }
        return false;
    }
}
