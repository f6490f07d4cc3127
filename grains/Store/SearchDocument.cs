using System.Buffers;
using System.Text.Encodings.Web;
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
/// columns are left out. Every write makes one, so it is written straight from the resource, without a tree of its own.
/// </summary>
public static class SearchDocument
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Of(JsonObject attributes, FilterScope scope)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                if (ResourceColumns.HoldsAttribute(scope, name))
                    continue;
                if (scope.Extension is { } extension && name == extension.Id)
                {
                    if (Assigned(extension.Attributes, value))
                    {
                        writer.WritePropertyName(name);
                        WriteComplex(writer, extension.Attributes, (JsonObject)value!);
                    }
                }
                else if (scope.Core.Find(name) is { } attribute && Assigned(attribute, value))
                {
                    writer.WritePropertyName(attribute.Name);
                    WriteValue(writer, attribute, value!);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, AttributeDefinition attribute, JsonNode value)
    {
        if (!attribute.MultiValued)
        {
            WriteSingle(writer, attribute, value);
            return;
        }
        writer.WriteStartArray();
        foreach (var element in (JsonArray)value)
        {
            if (AssignedSingle(attribute, element))
                WriteSingle(writer, attribute, element!);
        }
        writer.WriteEndArray();
    }

    private static void WriteSingle(Utf8JsonWriter writer, AttributeDefinition attribute, JsonNode value)
    {
        if (value is JsonObject complex)
        {
            WriteComplex(writer, attribute.Children, complex);
            return;
        }
        var scalar = (JsonValue)value;
        if (scalar.GetValueKind() == JsonValueKind.String)
        {
            var text = scalar.GetValue<string>();
            writer.WriteStringValue(attribute.CaseExact ? text : FilterText.Fold(text));
        }
        else
        {
            writer.WriteBooleanValue(scalar.GetValue<bool>());
        }
    }

    private static void WriteComplex(Utf8JsonWriter writer, IReadOnlyList<AttributeDefinition> children, JsonObject value)
    {
        writer.WriteStartObject();
        foreach (var (name, child) in value)
        {
            if (Child(children, name) is { } attribute && Assigned(attribute, child))
            {
                writer.WritePropertyName(name);
                WriteValue(writer, attribute, child!);
            }
        }
        writer.WriteEndObject();
    }

    // What is unassigned (null, "", [] or {}, or holding nothing assigned) is left out ------------------

    private static bool Assigned(AttributeDefinition attribute, JsonNode? value)
    {
        if (!attribute.MultiValued)
            return AssignedSingle(attribute, value);
        foreach (var element in value as JsonArray ?? [])
        {
            if (AssignedSingle(attribute, element))
                return true;
        }
        return false;
    }

    private static bool AssignedSingle(AttributeDefinition attribute, JsonNode? value) => value switch
    {
        JsonObject when attribute.Type == AttributeType.Complex => Assigned(attribute.Children, value),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => true,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            _ => false,
        },
        _ => false,
    };

    private static bool Assigned(IReadOnlyList<AttributeDefinition> children, JsonNode? value)
    {
        foreach (var (name, child) in value as JsonObject ?? [])
        {
            if (Child(children, name) is { } attribute && Assigned(attribute, child))
                return true;
        }
        return false;
    }

    private static AttributeDefinition? Child(IReadOnlyList<AttributeDefinition> children, string name)
    {
        foreach (var attribute in children)
        {
            if (attribute.Name == name)
                return attribute;
        }
        return null;
    }
}
