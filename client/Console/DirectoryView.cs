using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Gateway.Console;

public sealed record UserView(string Id, string UserName, string? DisplayName, string? GivenName, string? FamilyName, string? Email,
    string? ExternalId, bool Active, string? Created, string? LastModified)
{
    public static UserView From(JsonNode user) => new(
        Text(user, "id") ?? "", Text(user, "userName") ?? "", Text(user, "displayName"),
        user["name"] is { } name ? Text(name, "givenName") : null, user["name"] is { } n ? Text(n, "familyName") : null,
        user["emails"] is JsonArray { Count: > 0 } emails ? Text(emails[0]!, "value") : null,
        Text(user, "externalId"), user["active"]?.GetValueKind() != JsonValueKind.False,
        user["meta"] is { } meta ? Text(meta, "created") : null, user["meta"] is { } m ? Text(m, "lastModified") : null);

    private static string? Text(JsonNode node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

public sealed record GroupView(string Id, string DisplayName, string? ExternalId)
{
    public static GroupView From(JsonNode group) => new(
        group["id"]?.GetValue<string>() ?? "", group["displayName"]?.GetValue<string>() ?? "", group["externalId"]?.GetValue<string>());
}

/// <summary>One page of a SCIM list in cursor mode, as the console shows it.</summary>
public sealed record ListView<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    public static ListView<T> From(ScimJson json, Func<JsonNode, T> read)
    {
        var list = JsonNode.Parse(json.Utf8)!;
        var items = (list["Resources"] as JsonArray ?? []).Select(r => read(r!)).ToList();
        return new ListView<T>(items, list["nextCursor"]?.GetValue<string>());
    }

    public static ListView<T> Empty { get; } = new([], null);
}

public static class ScimFilter
{
    private static readonly JsonSerializerOptions Literal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>attribute eq "value"</c>, the value written as a JSON string.</summary>
    public static string Equal(string attribute, string value) => $"{attribute} eq {JsonSerializer.Serialize(value, Literal)}";
}
