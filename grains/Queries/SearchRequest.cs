using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Queries;

/// <summary>
/// The body of <c>POST …/.search</c> (R-SRCH-1, RFC 7644 §3.4.3): a SearchRequest message carrying the
/// parameters a GET would carry in its query string.
/// </summary>
public static class SearchRequest
{
    public static (ListQuery Query, Projection Projection) Parse(WireProfile profile, string? body)
    {
        var search = ResourceBody.Parse(profile, body, ScimSchemaUris.SearchRequest);
        var query = new ListQuery(Text(search, "filter"), Integer(search, "startIndex"), Integer(search, "count"), Cursor: null);
        return (query, new Projection(Names(search, "attributes"), Names(search, "excludedAttributes")));
    }

    private static string? Text(JsonObject search, string name) => search[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidSyntax($"'{name}' must be a string."),
    };

    /// <summary>An integer parameter as its query-string text, so paging reads it by the same rules.</summary>
    private static string? Integer(JsonObject search, string name) => search[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) =>
            number.ToString(CultureInfo.InvariantCulture),
        _ => throw ScimException.InvalidValue($"'{name}' must be an integer."),
    };

    /// <summary>An attribute list: an array of names (RFC 7644 §3.4.3), or one comma-separated string as a client of the query string would write it.</summary>
    private static string? Names(JsonObject search, string name) => search[name] switch
    {
        null => null,
        JsonArray names when names.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
            string.Join(',', names.Select(n => n!.GetValue<string>())),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidSyntax($"'{name}' must be an array of attribute names."),
    };
}
