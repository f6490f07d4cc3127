using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// The discovery documents of a wire profile (R-DISC-1..3), built once per profile from the same
/// attribute model that validation and PATCH use, so /Schemas always says what is accepted and
/// ServiceProviderConfig what the profile serves.
/// </summary>
public sealed class Discovery
{
    private static readonly ConditionalWeakTable<WireProfile, Discovery> Built = new();

    private readonly Dictionary<string, ScimJson> _schemaById;
    private readonly Dictionary<string, ScimJson> _resourceTypeById;

    private Discovery(WireProfile profile)
    {
        ServiceProviderConfig = Utf8(ServiceProviderConfigNode(profile));
        JsonObject[] resourceTypes =
        [
            ResourceTypeNode("User", "/Users", profile.User, profile.EnterpriseUser, profile.EnterpriseExtensionRequired),
            ResourceTypeNode("Group", "/Groups", profile.Group, null, false),
        ];
        ResourceTypes = ListOf(resourceTypes);
        _resourceTypeById = resourceTypes.ToDictionary(r => r["id"]!.GetValue<string>(), r => Utf8(r), StringComparer.OrdinalIgnoreCase);
        var schemas = profile.Schemas.Select(SchemaNode).ToArray();
        Schemas = ListOf(schemas);
        _schemaById = schemas.ToDictionary(s => s["id"]!.GetValue<string>(), s => Utf8(s), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The documents of <paramref name="profile"/>, built on first use.</summary>
    public static Discovery Of(WireProfile profile) => Built.GetValue(profile, p => new Discovery(p));

    public ScimJson ServiceProviderConfig { get; }

    public ScimJson ResourceTypes { get; }

    public ScimJson Schemas { get; }

    /// <summary>One schema by URN, or null for an unknown one (R-DISC-3: 404).</summary>
    public ScimJson? Schema(string id) => _schemaById.GetValueOrDefault(id);

    /// <summary>One resource type by name, or null for an unknown one (R-DISC-2: 404).</summary>
    public ScimJson? ResourceType(string id) => _resourceTypeById.GetValueOrDefault(id);

    private static JsonObject ServiceProviderConfigNode(WireProfile profile)
    {
        var bulk = profile.Bulk is { Enabled: true } on
            ? new JsonObject { ["supported"] = true, ["maxOperations"] = on.MaxOperations, ["maxPayloadSize"] = on.MaxPayloadSize }
            : new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 };
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemaUris.ServiceProviderConfig),
            ["documentationUri"] = "https://www.rfc-editor.org/rfc/rfc7644",
            ["authenticationSchemes"] = new JsonArray(new JsonObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "OAuth Bearer Token",
                ["description"] = "Authentication scheme using the OAuth Bearer Token Standard",
                ["specUri"] = "https://www.rfc-editor.org/info/rfc6750",
                ["primary"] = true,
            }),
            ["patch"] = new JsonObject { ["supported"] = true },
            ["bulk"] = bulk,
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ListPaging.MaxCount },
            ["changePassword"] = new JsonObject { ["supported"] = false },
            ["sort"] = new JsonObject { ["supported"] = profile.Sort },
            ["etag"] = new JsonObject { ["supported"] = profile.ETags },
            ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig" },
        };
    }

    private static JsonObject ResourceTypeNode(string name, string endpoint, SchemaDefinition schema, SchemaDefinition? extension, bool extensionRequired)
    {
        var node = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemaUris.ResourceType),
            ["id"] = name,
            ["name"] = name,
            ["endpoint"] = endpoint,
            ["description"] = schema.Description,
            ["schema"] = schema.Id,
        };
        if (extension is not null)
            node["schemaExtensions"] = new JsonArray(new JsonObject { ["schema"] = extension.Id, ["required"] = extensionRequired });
        node["meta"] = new JsonObject { ["resourceType"] = "ResourceType" };
        return node;
    }

    private static JsonObject SchemaNode(SchemaDefinition schema) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemaUris.Schema),
        ["id"] = schema.Id,
        ["name"] = schema.Name,
        ["description"] = schema.Description,
        ["attributes"] = Attributes(schema.Attributes),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema" },
    };

    /// <summary>Refused attributes are not advertised, nor ignored ones (a password is accepted and never kept).</summary>
    private static JsonArray Attributes(IEnumerable<AttributeDefinition> attributes) =>
        new(attributes.Where(a => a.Support is not (AttributeSupport.Rejected or AttributeSupport.Ignored)).Select(Attribute).ToArray<JsonNode?>());

    private static JsonObject Attribute(AttributeDefinition attribute)
    {
        var node = new JsonObject
        {
            ["name"] = attribute.Name,
            ["type"] = JsonNamingPolicy.CamelCase.ConvertName(attribute.Type.ToString()),
            ["multiValued"] = attribute.MultiValued,
            ["required"] = attribute.Required,
            ["caseExact"] = attribute.CaseExact,
            ["mutability"] = JsonNamingPolicy.CamelCase.ConvertName(attribute.Mutability.ToString()),
            ["returned"] = JsonNamingPolicy.CamelCase.ConvertName(attribute.Returned.ToString()),
            ["uniqueness"] = attribute.Uniqueness,
        };
        if (attribute.Type == AttributeType.Reference)
            node["referenceTypes"] = new JsonArray((attribute.ReferenceTypes ?? ["external"]).Select(t => (JsonNode?)t).ToArray());
        if (attribute.SubAttributes is not null)
            node["subAttributes"] = Attributes(attribute.SubAttributes);
        return node;
    }

    private static ScimJson ListOf(JsonObject[] resources) => Utf8(new JsonObject
    {
        ["schemas"] = new JsonArray(ScimSchemaUris.ListResponse),
        ["totalResults"] = resources.Length,
        ["itemsPerPage"] = resources.Length,
        ["startIndex"] = 1,
        ["Resources"] = new JsonArray(resources.Select(r => (JsonNode)r.DeepClone()).ToArray()),
    });

    private static ScimJson Utf8(JsonNode document) => new(Encoding.UTF8.GetBytes(document.ToJsonString()));
}
