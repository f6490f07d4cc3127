using System.Text.Json.Nodes;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityDirectory.Gateway.Console;

/// <summary>The user attributes the console edits; everything else a user holds is kept as it is.</summary>
public sealed class UserForm
{
    [BindNever]
    public string Handler { get; set; } = "Create";

    [BindNever]
    public string Submit { get; set; } = "Create user";

    public string? UserName { get; set; }
    public string? DisplayName { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? Email { get; set; }
    public string? ExternalId { get; set; }
    public bool Active { get; set; } = true;

    public static UserForm Of(UserView user) => new()
    {
        Handler = "Save", Submit = "Save changes", UserName = user.UserName, DisplayName = user.DisplayName, GivenName = user.GivenName,
        FamilyName = user.FamilyName, Email = user.Email, ExternalId = user.ExternalId, Active = user.Active,
    };

    /// <summary>A SCIM user body: <paramref name="current"/> (for a replace) with the form's attributes written over it.</summary>
    public string ToScim(JsonObject? current = null)
    {
        var user = current ?? new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.User.Id) };
        user.Remove("meta");
        user["userName"] = UserName;
        user["displayName"] = DisplayName;
        var name = user["name"] as JsonObject ?? new JsonObject();
        name["givenName"] = GivenName;
        name["familyName"] = FamilyName;
        user["name"] = name;
        if (string.IsNullOrWhiteSpace(Email))
            user.Remove("emails");
        else
            user["emails"] = new JsonArray(new JsonObject { ["value"] = Email, ["type"] = "work", ["primary"] = true });
        if (string.IsNullOrWhiteSpace(ExternalId))
            user.Remove("externalId");
        else
            user["externalId"] = ExternalId;
        user["active"] = Active;
        return user.ToJsonString();
    }
}
