using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

public enum PatchOp { Add, Remove, Replace }

public sealed record PatchOperation(PatchOp Op, string? Path, JsonNode? Value);

/// <summary>The PatchOp message (R-PAT-1): a non-empty Operations array of add/remove/replace.</summary>
public static class PatchRequest
{
    public static IReadOnlyList<PatchOperation> Parse(WireProfile profile, string? body)
    {
        var request = ResourceBody.Parse(profile, body, ScimSchemaUris.PatchOp);
        if (request["Operations"] is not JsonArray { Count: > 0 } operations)
            throw ScimException.InvalidValue("'Operations' must be a non-empty array.");
        var result = new List<PatchOperation>(operations.Count);
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
                throw ScimException.InvalidSyntax("Each operation must be an object.");
            var op = Text(operation["op"])?.ToLowerInvariant() switch
            {
                "add" => PatchOp.Add,
                "remove" => PatchOp.Remove,
                "replace" => PatchOp.Replace,
                _ => throw ScimException.InvalidValue($"Unsupported PATCH operation '{Text(operation["op"])}'; use add, remove or replace."),
            };
            var path = operation["path"] switch
            {
                null => null, // absent, or null: unassigned (R-PAT-14)
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(), // as written (R-PAT-1)
                _ => throw ScimException.InvalidPath("A path must be a string."),
            };
            if (op == PatchOp.Remove && path is null)
                throw ScimException.NoTarget("A remove operation requires a path.");
            if (op != PatchOp.Remove && !operation.ContainsKey("value"))
                throw ScimException.InvalidValue($"A{(op == PatchOp.Add ? "n add" : " replace")} operation requires a value.");
            result.Add(new PatchOperation(op, path, operation["value"]));
        }
        return result;
    }

    /// <summary>
    /// The attributes of a pathless add/replace value, one per key; <c>id</c>, <c>meta</c> and
    /// <c>schemas</c> are ignored whatever their value (R-PAT-7).
    /// </summary>
    public static IEnumerable<(string Key, JsonNode? Value)> PathlessValues(PatchOperation operation)
    {
        if (operation.Value is not JsonObject values)
            throw ScimException.InvalidValue("An operation without a path requires an object value.");
        foreach (var (key, value) in values)
        {
            if (!key.Equals("id", StringComparison.OrdinalIgnoreCase) && !key.Equals("meta", StringComparison.OrdinalIgnoreCase)
                && !key.Equals("schemas", StringComparison.OrdinalIgnoreCase))
                yield return (key, value);
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
