using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// Turns a client-supplied JSON value into the canonical stored form of one attribute: canonical
/// sub-attribute names, real booleans, no nulls, strings as the profile allows them. Null and [] mean
/// "unassigned" (R-PAT-14), so they come back as null; a one-element array for a single-valued
/// attribute is unwrapped (R-PAT-8); server-owned sub-attributes are dropped (RFC 7643 §2.2).
/// </summary>
public static class AttributeValues
{
    private const int AwsDefaultMaxLength = 1024;

    public static JsonNode? Normalize(WireProfile profile, AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is null)
            return null;
        if (attribute.Support == AttributeSupport.Rejected)
            throw ScimException.InvalidSyntax($"Attribute '{path}' is not supported.");

        if (attribute.MultiValued)
        {
            var items = value is JsonArray array ? array.ToList() : [value];
            var result = new JsonArray();
            foreach (var item in items)
            {
                var element = NormalizeSingle(profile, attribute, item, path);
                if (element is not null)
                    result.Add(element);
            }
            return result.Count == 0 ? null : result;
        }

        if (value is JsonArray single)
        {
            if (single.Count == 0)
                return null;
            if (single.Count > 1)
                throw ScimException.InvalidValue($"Attribute '{path}' is single-valued.");
            value = single[0];
        }
        return NormalizeSingle(profile, attribute, value, path);
    }

    private static JsonNode? NormalizeSingle(WireProfile profile, AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is null)
            return null;
        return attribute.Type switch
        {
            AttributeType.Complex => NormalizeComplex(profile, attribute, value, path),
            AttributeType.Boolean => NormalizeBoolean(value, path),
            AttributeType.Binary => NormalizeBinary(value, path),
            _ => NormalizeString(profile, attribute, value, path),
        };
    }

    private static JsonObject? NormalizeComplex(WireProfile profile, AttributeDefinition attribute, JsonNode value, string path)
    {
        if (value is JsonValue bare && bare.GetValueKind() == JsonValueKind.String && attribute.Find("value") is not null)
            value = new JsonObject { ["value"] = bare.GetValue<string>() }; // R-PAT-8: "manager": "<id>"
        if (value is not JsonObject input)
            throw ScimException.InvalidValue($"Attribute '{path}' must be an object.");
        var values = new Dictionary<string, JsonNode>();
        foreach (var (key, child) in input)
        {
            var sub = attribute.Find(key) ?? throw ScimException.InvalidSyntax($"Attribute '{path}.{key}' is not supported.");
            if (sub.Support is AttributeSupport.ServerOwned or AttributeSupport.Ignored)
                continue;
            var normalized = Normalize(profile, sub, child, $"{path}.{sub.Name}");
            if (normalized is not null)
                values[sub.Name] = normalized;
        }
        return Ordered(attribute.Children, values);
    }

    /// <summary>Builds an object whose keys follow the schema's order, so equal resources serialize equally.</summary>
    public static JsonObject? Ordered(IReadOnlyList<AttributeDefinition> order, IReadOnlyDictionary<string, JsonNode> values)
    {
        if (values.Count == 0)
            return null;
        var result = new JsonObject();
        foreach (var attribute in order)
        {
            if (values.TryGetValue(attribute.Name, out var value))
                result[attribute.Name] = value;
        }
        return result;
    }

    private static JsonValue NormalizeBoolean(JsonNode value, string path)
    {
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True: return JsonValue.Create(true);
                case JsonValueKind.False: return JsonValue.Create(false);
                case JsonValueKind.String when bool.TryParse(v.GetValue<string>(), out var parsed): return JsonValue.Create(parsed);
            }
        }
        throw ScimException.InvalidValue($"Attribute '{path}' must be a boolean.");
    }

    private static JsonValue NormalizeString(WireProfile profile, AttributeDefinition attribute, JsonNode value, string path)
    {
        var text = Text(value, path);
        if (profile.AwsStringRules)
            CheckString(path, text, attribute.MaxLength ?? AwsDefaultMaxLength);
        return JsonValue.Create(text);
    }

    /// <summary>RFC 7643 §2.3.6: a binary value is base64 text.</summary>
    private static JsonValue NormalizeBinary(JsonNode value, string path)
    {
        var text = Text(value, path);
        var bytes = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out _))
            throw ScimException.InvalidValue($"Attribute '{path}' must be base64-encoded.");
        return JsonValue.Create(text);
    }

    private static string Text(JsonNode value, string path) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw ScimException.InvalidValue($"Attribute '{path}' must be a string.");

    /// <summary>AWS's string constraints (R-USR-9), reported in AWS's validation style (R-ERR-4).</summary>
    public static void CheckString(string path, string text, int maxLength)
    {
        var errors = new List<string>();
        if (!MatchesAllowedPattern(text))
            errors.Add($"Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}\\t\\n\\r ]+");
        if (text.Length == 0)
            errors.Add($"Value at '{path}' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (text.Length > maxLength)
            errors.Add($"Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {maxLength}");
        if (errors.Count > 0)
            throw ScimException.InvalidValue(ValidationMessage(errors));
    }

    public static string ValidationMessage(IReadOnlyList<string> errors) =>
        $"{errors.Count} validation error{(errors.Count == 1 ? "" : "s")} detected: {string.Join("; ", errors)}";

    private static bool MatchesAllowedPattern(string text)
    {
        if (text.Length == 0)
            return false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\t' or '\n' or '\r' or ' ' or '\u00a0')
                continue;
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    return false;
            }
        }
        return true;
    }
}
