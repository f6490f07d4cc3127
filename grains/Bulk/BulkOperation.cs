using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Bulk;

/// <summary>
/// One operation of a BulkRequest (RFC 7644 §3.7): <c>method</c>, <c>path</c>, <c>bulkId</c> (required for
/// POST), <c>data</c> (a resource or PatchOp body) and <c>version</c> (an If-Match). A fault in one
/// operation is that operation's error (<see cref="Fault"/>), not the request's.
/// </summary>
public sealed record BulkOperation(int Index, string Method, string? Path, string? BulkId, JsonNode? Data, string? Version, ScimException? Fault)
{
    private const string Reference = "bulkId:";

    public static IReadOnlyList<BulkOperation> ParseAll(JsonObject request)
    {
        if (request["Operations"] is not JsonArray { Count: > 0 } operations)
            throw ScimException.InvalidValue("'Operations' must be a non-empty array.");
        return operations.Select((node, index) => node is JsonObject operation
            ? Parse(index, operation)
            : throw ScimException.InvalidSyntax("Each operation must be an object.")).ToList();
    }

    private static BulkOperation Parse(int index, JsonObject operation)
    {
        var method = (Text(operation["method"]) ?? "").ToUpperInvariant();
        var (path, bulkId, version) = (Text(operation["path"]), Text(operation["bulkId"]), Text(operation["version"]));
        var data = operation["data"];
        var fault = method switch
        {
            not ("POST" or "PUT" or "PATCH" or "DELETE") => ScimException.InvalidValue($"Unsupported method '{method}'; use POST, PUT, PATCH or DELETE."),
            _ when path is null => ScimException.InvalidValue("An operation requires a path."),
            "POST" when bulkId is null => ScimException.InvalidValue("A POST operation requires a bulkId."),
            not "DELETE" when data is not JsonObject => ScimException.InvalidValue($"A {method} operation requires data."),
            _ => null,
        };
        return new BulkOperation(index, method, path, bulkId, data, version, fault);
    }

    /// <summary>The bulkIds this operation refers to, in its path and anywhere in its data.</summary>
    public IReadOnlySet<string> References()
    {
        var references = new HashSet<string>(StringComparer.Ordinal);
        if (Path?.Split('/').LastOrDefault(s => s.StartsWith(Reference, StringComparison.Ordinal)) is { } inPath)
            references.Add(inPath[Reference.Length..]);
        Collect(Data, references);
        return references;
    }

    /// <summary>This operation with every reference replaced by the id its bulkId created.</summary>
    public BulkOperation Resolve(IReadOnlyDictionary<string, string> created) => this with
    {
        Path = Path is null ? null : string.Join('/', Path.Split('/').Select(s => Resolve(s, created))),
        Data = Replace(Data?.DeepClone(), created),
    };

    private static void Collect(JsonNode? node, HashSet<string> references)
    {
        switch (node)
        {
            case JsonObject values:
                foreach (var (_, child) in values)
                    Collect(child, references);
                break;
            case JsonArray items:
                foreach (var item in items)
                    Collect(item, references);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text
                && text.StartsWith(Reference, StringComparison.Ordinal):
                references.Add(text[Reference.Length..]);
                break;
        }
    }

    /// <summary>Replaces, inside <paramref name="node"/>, each string that is a resolved reference by its id.</summary>
    private static JsonNode? Replace(JsonNode? node, IReadOnlyDictionary<string, string> created)
    {
        switch (node)
        {
            case JsonObject values:
                foreach (var key in values.Select(p => p.Key).ToList())
                {
                    if (Resolved(values[key], created) is { } id)
                        values[key] = id;
                    else
                        Replace(values[key], created);
                }
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (Resolved(items[i], created) is { } id)
                        items[i] = id;
                    else
                        Replace(items[i], created);
                }
                break;
        }
        return node;
    }

    private static string? Resolved(JsonNode? node, IReadOnlyDictionary<string, string> created) =>
        Text(node) is { } text && text.StartsWith(Reference, StringComparison.Ordinal) && created.TryGetValue(text[Reference.Length..], out var id)
            ? id
            : null;

    private static string Resolve(string text, IReadOnlyDictionary<string, string> created) =>
        text.StartsWith(Reference, StringComparison.Ordinal) && created.TryGetValue(text[Reference.Length..], out var id) ? id : text;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
