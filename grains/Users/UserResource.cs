using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Users;

/// <summary>The rules that make a User resource valid in the aws profile, and its indexed keys.</summary>
public static class UserResource
{
    private static readonly string[] SingleValueLists = ["emails", "phoneNumbers", "addresses", "roles"];
    private static readonly string[] ReservedUserNames = ["Administrator", "AWSAdministrators"];

    /// <summary>Canonical attributes of a POST or PUT body (R-USR-1..6, R-CRUD-4, P-2, P-3).</summary>
    public static JsonObject FromBody(string body, bool isCreate)
    {
        var input = ResourceBody.Parse(body, ScimSchemaUris.User);
        if (isCreate && ResourceBody.HasNonEmpty(input, "groups"))
            throw ScimException.InvalidSyntax("Attribute 'groups' is read-only and cannot be set on create.");
        var attributes = ResourceBody.Normalize(input, ScimSchemas.User, ScimSchemas.EnterpriseUser);
        Validate(attributes);
        return attributes;
    }

    /// <summary>Whole-resource checks, run after every create, replace and patch (R-PAT-13).</summary>
    public static void Validate(JsonObject user)
    {
        if (user["userName"] is null)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'userName' failed to satisfy constraint: Member must not be null"]));

        var missing = new List<string>();
        if (user["displayName"] is null)
            missing.Add("displayName");
        if (user["name"]?["givenName"] is null)
            missing.Add("name.givenName");
        if (user["name"]?["familyName"] is null)
            missing.Add("name.familyName");
        if (missing.Count > 0)
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(
                missing.Select(path => $"Value at '{path}' failed to satisfy constraint: Member must not be null").ToList()));

        if (user["active"] is null)
            user["active"] = true; // R-USR-10

        var userName = user["userName"]!.GetValue<string>();
        if (ReservedUserNames.Contains(userName, StringComparer.OrdinalIgnoreCase))
            throw ScimException.InvalidValue($"The userName '{userName}' is reserved.");

        foreach (var list in SingleValueLists)
        {
            if (user[list] is JsonArray { Count: > 1 })
                throw ScimException.InvalidValue($"List attribute {list} exceeds allowed limit of 1");
        }

        if (user["emails"] is JsonArray { Count: 1 } emails && emails[0] is JsonObject email)
        {
            if (email["value"] is null)
                throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'emails.value' failed to satisfy constraint: Member must not be null"]));
            if (email["primary"] is null)
                email["primary"] = true;
            else if (!email["primary"]!.GetValue<bool>())
                throw ScimException.InvalidValue("The email must be the primary email (primary: true).");
        }
    }

    public static UserKeys KeysOf(JsonObject user) => new(
        user["userName"]!.GetValue<string>().ToLowerInvariant(),
        user["externalId"]?.GetValue<string>(),
        (user["emails"] as JsonArray)?.FirstOrDefault()?["value"]?.GetValue<string>().ToLowerInvariant(),
        user[ScimSchemas.EnterpriseUser.Id]?["manager"]?["value"]?.GetValue<string>());
}

/// <summary>The values of a user that the directory store indexes (R-USR-8, P-1, R-FLT-6).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.UserKeys")]
public sealed record UserKeys(
    [property: Id(0)] string UserNameLower,
    [property: Id(1)] string? ExternalId,
    [property: Id(2)] string? EmailLower,
    [property: Id(3)] string? ManagerId);
