using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// Renders a resource as it is stored: the aws profile's representation (R-META-2, R-META-3: no location
/// or version; a group's members always <c>[]</c>, R-GRP-4), which other profiles rewrite as they show it (<see cref="ResourceView"/>).
/// </summary>
public static class ResourceJson
{
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Timestamps are kept at second precision, as AWS shows them.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public static ScimJson Render(string resourceType, string id, JsonObject attributes, DateTimeOffset created, DateTimeOffset lastModified,
        string core, string? extension, bool emptyMembers = false)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(core);
            if (extension is not null && attributes.ContainsKey(extension))
                writer.WriteStringValue(extension);
            writer.WriteEndArray();
            writer.WriteString("id", id);
            foreach (var (name, value) in attributes)
            {
                writer.WritePropertyName(name);
                value!.WriteTo(writer);
            }
            if (emptyMembers)
            {
                writer.WriteStartArray("members");
                writer.WriteEndArray();
            }
            writer.WriteStartObject("meta");
            writer.WriteString("resourceType", resourceType);
            writer.WriteString("created", Timestamp(created));
            writer.WriteString("lastModified", Timestamp(lastModified));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }

    /// <summary>The attributes of a rendered resource: everything but schemas, id, members-placeholder and meta.</summary>
    public static JsonObject Attributes(ScimJson json)
    {
        var node = (JsonObject)JsonNode.Parse(json.Utf8)!;
        node.Remove("schemas");
        node.Remove("id");
        node.Remove("meta");
        return node;
    }
}
