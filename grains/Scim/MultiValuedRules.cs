using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// The rules of multi-valued attributes (RFC 7643 §2.4) a resource must meet after every write: an
/// email has a value (both profiles); the one email is primary (R-USR-5 [AWS]) or at most one value of
/// an attribute is primary (R-USR-7 [RFC]); <c>type</c> values are unique where the profile says (R-USR-7).
/// </summary>
public static class MultiValuedRules
{
    public static void Check(WireProfile profile, SchemaDefinition schema, JsonObject resource)
    {
        if (resource["emails"] is JsonArray emails && emails.OfType<JsonObject>().Any(email => email["value"] is null))
            throw ScimException.InvalidValue(AttributeValues.ValidationMessage(["Value at 'emails.value' failed to satisfy constraint: Member must not be null"]));

        if (profile.SoleEmailIsPrimary)
        {
            if (resource["emails"] is JsonArray { Count: 1 } sole && sole[0] is JsonObject email)
            {
                if (email["primary"] is null)
                    email["primary"] = true;
                else if (!IsPrimary(email))
                    throw ScimException.InvalidValue("The email must be the primary email (primary: true).");
            }
        }
        else
        {
            foreach (var attribute in schema.Attributes.Where(a => a.MultiValued && a.Find("primary") is not null))
            {
                if (resource[attribute.Name] is JsonArray values && values.OfType<JsonObject>().Count(IsPrimary) > 1)
                    throw ScimException.InvalidValue($"At most one value of '{attribute.Name}' may be primary.");
            }
        }

        foreach (var name in profile.UniqueTypeAttributes)
        {
            if (resource[name] is not JsonArray values)
                continue;
            var repeated = values.OfType<JsonObject>().Select(v => v["type"]?.GetValue<string>()).OfType<string>()
                .GroupBy(type => type, StringComparer.OrdinalIgnoreCase).FirstOrDefault(types => types.Count() > 1);
            if (repeated is not null)
                throw ScimException.InvalidValue($"The type '{repeated.Key}' appears more than once in '{name}'.");
        }
    }

    public static bool IsPrimary(JsonObject value) => value["primary"] is JsonValue primary && primary.TryGetValue<bool>(out var set) && set;
}
