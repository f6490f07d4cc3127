using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Users;

/// <summary>The rules that make a User resource valid in a wire profile, and its indexed keys.</summary>
public static class UserResource
{
    /// <summary>Canonical attributes of a POST or PUT body (R-USR-1..7, R-CRUD-4, P-2, P-3).</summary>
    public static JsonObject FromBody(WireProfile profile, string? body, bool isCreate)
    {
        var input = ResourceBody.Parse(profile, body, ScimSchemaUris.User);
        if (isCreate && profile.GroupsRefusedOnCreate && ResourceBody.HasNonEmpty(input, "groups"))
            throw ScimException.InvalidSyntax("Attribute 'groups' is read-only and cannot be set on create."); // R-USR-6
        var attributes = ResourceBody.Normalize(profile, input, profile.User, profile.EnterpriseUser);
        Validate(profile, attributes);
        return attributes;
    }

    /// <summary>The user after a PatchOp (R-PAT-2), checked as a whole (R-PAT-13).</summary>
    public static JsonObject Patch(WireProfile profile, JsonObject current, IReadOnlyList<PatchOperation> operations)
    {
        var user = ResourcePatch.Apply(profile, ResourceType.User, current, ResourcePatch.Targets(profile, ResourceType.User, operations));
        Validate(profile, user);
        return user;
    }

    /// <summary>Whole-resource checks, run after every create, replace and patch (R-PAT-13).</summary>
    public static void Validate(WireProfile profile, JsonObject user)
    {
        if (user["userName"]?.GetValue<string>() is not { } userName)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'userName' failed to satisfy constraint: Member must not be null"]));
        if (userName.Length == 0)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1"]));

        var missing = MissingRequired(profile.User, user);
        if (missing.Count > 0)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(
                missing.Select(path => $"Value at '{path}' failed to satisfy constraint: Member must not be null").ToList()));

        if (user["active"] is null)
            user["active"] = true; // R-USR-10

        if (profile.ReservedNames.Contains(userName, StringComparer.OrdinalIgnoreCase))
            throw ScimException.InvalidValue($"The userName '{userName}' is reserved.");

        foreach (var list in profile.SingleValueAttributes)
        {
            if (user[list] is JsonArray { Count: > 1 })
                throw ScimException.InvalidValue($"List attribute {list} exceeds allowed limit of 1");
        }
        MultiValuedRules.Check(profile, profile.User, user);
    }

    /// <summary>Required attributes (and required sub-attributes of present or required complex ones) the user lacks, by path.</summary>
    /// <remarks>Runs on every write; it allocates only for what is missing.</remarks>
    private static List<string> MissingRequired(SchemaDefinition schema, JsonObject user)
    {
        List<string>? missing = null;
        foreach (var attribute in schema.Attributes)
        {
            if (attribute.Name == "userName")
                continue;
            var value = user[attribute.Name];
            if (value is JsonObject present)
            {
                foreach (var child in attribute.Children)
                {
                    if (child.Required && present[child.Name] is null)
                        (missing ??= []).Add($"{attribute.Name}.{child.Name}");
                }
            }
            else if (value is null && attribute.Required)
            {
                var requiredChildren = attribute.Children.Where(c => c.Required).Select(c => $"{attribute.Name}.{c.Name}").ToList();
                (missing ??= []).AddRange(requiredChildren.Count > 0 ? requiredChildren : [attribute.Name]);
            }
        }
        return missing ?? [];
    }

    /// <summary>The indexed keys; the email is the primary one (P-1), else the first.</summary>
    public static UserKeys KeysOf(JsonObject user)
    {
        var emails = (user["emails"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var email = emails.FirstOrDefault(MultiValuedRules.IsPrimary) ?? emails.FirstOrDefault();
        return new(
            user["userName"]!.GetValue<string>().ToLowerInvariant(),
            user["externalId"]?.GetValue<string>(),
            email?["value"]?.GetValue<string>().ToLowerInvariant(),
            user[ScimSchemaUris.EnterpriseUser]?["manager"]?["value"]?.GetValue<string>());
    }
}

/// <summary>The values of a user that the directory store indexes (R-USR-8, P-1, R-FLT-6).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.UserKeys")]
public sealed record UserKeys(
    [property: Id(0)] string UserNameLower,
    [property: Id(1)] string? ExternalId,
    [property: Id(2)] string? EmailLower,
    [property: Id(3)] string? ManagerId);
