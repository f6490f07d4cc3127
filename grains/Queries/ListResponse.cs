using System.Buffers;
using System.Text.Json;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;

namespace IdentityDirectory.Queries;

/// <summary>
/// A ListResponse (R-LST-1): the counters as integers and <c>Resources</c> always present. In index mode
/// <c>totalResults</c>, <c>itemsPerPage</c> and the <c>startIndex</c> applied; in cursor mode (R-LST-3)
/// <c>itemsPerPage</c> and a <c>nextCursor</c> until the last page. Each resource as the request's view shows it.
/// </summary>
public static class ListResponse
{
    public static ScimJson Write(PageRequest request, int? total, long? nextCursor, IReadOnlyList<ScimJson> resources)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + resources.Sum(r => r.Utf8.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimSchemaUris.ListResponse);
            writer.WriteEndArray();
            if (!request.CursorMode)
            {
                writer.WriteNumber("totalResults", total ?? 0);
                writer.WriteNumber("itemsPerPage", resources.Count);
                writer.WriteNumber("startIndex", request.StartIndex);
            }
            else
            {
                writer.WriteNumber("itemsPerPage", resources.Count);
                if (nextCursor is { } next)
                    writer.WriteString("nextCursor", ListPages.EncodeCursor(next));
            }
            writer.WriteStartArray("Resources");
            foreach (var resource in resources)
                writer.WriteRawValue(resource.Utf8, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }
}
