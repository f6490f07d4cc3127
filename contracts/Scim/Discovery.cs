using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// The discovery documents of the aws profile (R-DISC-1..3), built once from the attribute model so
/// /Schemas always says what validation and PATCH actually accept.
/// </summary>
public static class Discovery
{
    public static readonly ScimJson ServiceProviderConfig = Utf8(new JsonObject
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
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = 100 },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig" },
    });

    private static readonly JsonObject[] ResourceTypeNodes =
    [
        ResourceType("User", "/Users", ScimSchemas.User, ScimSchemas.EnterpriseUser),
        ResourceType("Group", "/Groups", ScimSchemas.Group, null),
    ];

    public static readonly ScimJson ResourceTypes = ListOf(ResourceTypeNodes);

    private static readonly Dictionary<string, ScimJson> SchemaById = ScimSchemas.All.ToDictionary(
        s => s.Id, s => Utf8(SchemaNode(s)), StringComparer.OrdinalIgnoreCase);

    public static readonly ScimJson Schemas = ListOf(ScimSchemas.All.Select(SchemaNode).ToArray());

    /// <summary>One schema by URN, or null for an unknown one (R-DISC-3: 404).</summary>
    public static ScimJson? Schema(string id) => SchemaById.GetValueOrDefault(id);

    private static JsonObject ResourceType(string name, string endpoint, SchemaDefinition schema, SchemaDefinition? extension)
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
            node["schemaExtensions"] = new JsonArray(new JsonObject { ["schema"] = extension.Id, ["required"] = true });
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

    private static JsonArray Attributes(IEnumerable<AttributeDefinition> attributes) =>
        new(attributes.Where(a => a.Support is not (AwsSupport.Rejected or AwsSupport.Ignored)).Select(Attribute).ToArray<JsonNode?>());

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
            node["referenceTypes"] = new JsonArray("external");
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
