using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>The rules of a Group resource in the aws profile (R-GRP-1..5, R-CRUD-2).</summary>
public static class GroupResource
{
    public const int MaxMembershipChanges = 100;
    private static readonly string[] ReservedNames = ["Administrator", "AWSAdministrators"];

    /// <summary>Canonical attributes (without members) and the member ids of a POST body.</summary>
    public static (JsonObject Attributes, IReadOnlyList<string> MemberIds) FromBody(string body)
    {
        var input = ResourceBody.Parse(body, ScimSchemaUris.Group);
        input.Remove("description"); // R-GRP-3: not part of the SCIM group; ignored on POST
        var attributes = ResourceBody.Normalize(input, ScimSchemas.Group, null);
        var members = MemberIds(attributes["members"]);
        attributes.Remove("members");
        if (members.Count > MaxMembershipChanges)
            throw ScimException.InvalidValue($"A request may hold at most {MaxMembershipChanges} membership changes.");
        Validate(attributes);
        return (attributes, members);
    }

    public static void Validate(JsonObject group)
    {
        if (group["displayName"] is null)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'displayName' failed to satisfy constraint: Member must not be null"]));
        var name = group["displayName"]!.GetValue<string>();
        if (ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw ScimException.InvalidValue($"The group name '{name}' is reserved.");
    }

    /// <summary>The user ids of normalized member values; members are users only (R-GRP-5).</summary>
    public static IReadOnlyList<string> MemberIds(JsonNode? members)
    {
        var ids = new List<string>();
        foreach (var member in members as JsonArray ?? [])
        {
            var type = member?["type"]?.GetValue<string>();
            if (type is not null && !type.Equals("User", StringComparison.OrdinalIgnoreCase))
                throw ScimException.InvalidValue("Group members must be users.");
            var value = member?["value"]?.GetValue<string>() ?? throw ScimException.InvalidValue("A member requires a value.");
            if (!ids.Contains(value))
                ids.Add(value);
        }
        return ids;
    }
}
