using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Store;

/// <summary>
/// What the store's filters read of a resource beside its key columns (docs/decisions.md, "Filters
/// in the store"): the resource's attributes with every string that compares case-insensitively
/// already folded by <see cref="FilterText.Fold"/>, so both engines compare exactly as the rules
/// say without case rules of their own, and with nothing unassigned in it (no null, "", [] or {}),
/// so that presence is the existence of a path (R-FLT-3 <c>pr</c>). Attributes that live in key
/// columns are left out.
/// </summary>
public static class SearchDocument
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Of(JsonObject attributes, FilterScope scope)
    {
        var document = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            if (ResourceColumns.HoldsAttribute(scope, name))
                continue;
            if (scope.Extension is { } extension && name == extension.Id)
            {
                if (Complex(extension.Attributes, value) is { } values)
                    document[name] = values;
            }
            else if (scope.Core.Find(name) is { } attribute && Value(attribute, value) is { } copy)
            {
                document[attribute.Name] = copy;
            }
        }
        return JsonSerializer.SerializeToUtf8Bytes(document, Relaxed);
    }

    private static JsonNode? Value(AttributeDefinition attribute, JsonNode? value)
    {
        if (attribute.MultiValued)
        {
            var elements = new JsonArray();
            foreach (var element in value as JsonArray ?? [])
            {
                if (Single(attribute, element) is { } copy)
                    elements.Add(copy);
            }
            return elements.Count == 0 ? null : elements;
        }
        return Single(attribute, value);
    }

    private static JsonNode? Single(AttributeDefinition attribute, JsonNode? value) => value switch
    {
        JsonObject when attribute.Type == AttributeType.Complex => Complex(attribute.Children, value),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => JsonValue.Create(v.GetValue<bool>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } text =>
            JsonValue.Create(attribute.CaseExact ? text : FilterText.Fold(text)),
        _ => null,
    };

    private static JsonObject? Complex(IReadOnlyList<AttributeDefinition> children, JsonNode? value)
    {
        var copy = new JsonObject();
        foreach (var (name, child) in value as JsonObject ?? [])
        {
            var attribute = children.FirstOrDefault(a => a.Name == name);
            if (attribute is not null && Value(attribute, child) is { } childCopy)
                copy[name] = childCopy;
        }
        return copy.Count == 0 ? null : copy;
    }
}
