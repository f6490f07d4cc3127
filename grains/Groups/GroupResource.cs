using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>The rules of a Group resource in a wire profile (R-GRP-1..5, R-CRUD-2).</summary>
public static class GroupResource
{
    /// <summary>Canonical attributes (without members) and the member ids of a POST or PUT body.</summary>
    public static (JsonObject Attributes, IReadOnlyList<string> MemberIds) FromBody(WireProfile profile, string? body)
    {
        var input = ResourceBody.Parse(profile, body, ScimSchemaUris.Group);
        input.Remove("description"); // R-GRP-3: not part of the SCIM group; ignored on POST
        var attributes = ResourceBody.Normalize(profile, input, profile.Group, null);
        var members = MemberIds(attributes["members"]);
        attributes.Remove("members");
        CheckMembershipChanges(profile, members.Count);
        Validate(profile, attributes);
        return (attributes, members);
    }

    public static void Validate(WireProfile profile, JsonObject group)
    {
        if (group["displayName"]?.GetValue<string>() is not { Length: > 0 } name)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'displayName' failed to satisfy constraint: Member must not be null"]));
        if (profile.ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw ScimException.InvalidValue($"The group name '{name}' is reserved.");
    }

    /// <summary>R-CRUD-2, R-PAT-11, R-AWS-2: the profile's limit of membership changes in one request.</summary>
    public static void CheckMembershipChanges(WireProfile profile, int changes)
    {
        if (profile.MaxMembershipChanges is { } max && changes > max)
            throw ScimException.InvalidValue($"A request may hold at most {max} membership changes.");
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
