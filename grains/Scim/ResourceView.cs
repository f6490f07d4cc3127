using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>
/// A stored user or group as the request's profile shows it. The stored JSON is the aws profile's
/// representation, answered as the same bytes; a profile with locations, versions, memberships or a
/// projection adds <c>meta.location</c> and <c>meta.version</c> (R-META-3), the group's <c>members</c>
/// (R-GRP-4) or the user's <c>groups</c> (R-USR-2), and applies <c>attributes</c>/<c>excludedAttributes</c> (R-CRUD-7).
/// </summary>
public sealed class ResourceView
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WireProfile _profile;
    private readonly ResourceType _type;
    private readonly string? _baseUrl;
    private readonly AttributeProjection? _projection;

    public ResourceView(WireProfile profile, ResourceType type, Projection? projection, string? baseUrl)
    {
        _profile = profile;
        _type = type;
        _baseUrl = baseUrl;
        _projection = AttributeProjection.Of(profile, type, projection);
    }

    public ResourceView(ScimRequest request, ResourceType type) : this(request.Profile, type, request.Projection, request.BaseUrl)
    {
    }

    /// <summary>The group's <c>members</c> or the user's <c>groups</c>.</summary>
    public string MembershipAttribute => _type == ResourceType.Group ? "members" : "groups";

    /// <summary>Whether the response shows memberships, which the caller then reads from the store.</summary>
    public bool ShowsMemberships => _profile.ReturnsMemberships && (_projection?.Returns(MembershipAttribute) ?? true);

    private bool Rewrites => _profile.Locations || _profile.ETags || _profile.ReturnsMemberships || _projection is not null;

    /// <summary>The answer to a request for one resource, with its ETag and location where the profile has them.</summary>
    public ScimResponse Present(string id, long version, ScimJson stored, IReadOnlyList<string>? memberships) =>
        Rewrites
            ? new ScimResponse(Render(id, version, stored, memberships), _profile.ETags ? ETags.Of(version) : null, LocationOf(id))
            : new ScimResponse(stored);

    /// <summary>The answer without a body (a 204 or a 304), with the ETag and location the body would have carried.</summary>
    public ScimResponse Bodiless(string id, long version, bool notModified = false) =>
        new(null, _profile.ETags ? ETags.Of(version) : null, LocationOf(id), notModified);

    /// <summary>The resource's JSON in this view.</summary>
    public ScimJson Render(string id, long version, ScimJson stored, IReadOnlyList<string>? memberships)
    {
        if (!Rewrites)
            return stored;
        var node = (JsonObject)JsonNode.Parse(stored.Utf8)!;
        var meta = node["meta"] as JsonObject ?? new JsonObject();
        node.Remove("meta");
        node.Remove(MembershipAttribute); // the stored placeholder (a group's "members": [])
        if (memberships is { Count: > 0 })
            node[MembershipAttribute] = Memberships(memberships);
        if (LocationOf(id) is { } location)
            meta["location"] = location;
        if (_profile.ETags)
            meta["version"] = ETags.Of(version);
        node["meta"] = meta;
        _projection?.Apply(node);

        var buffer = new ArrayBufferWriter<byte>(stored.Utf8.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
            node.WriteTo(writer);
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }

    /// <summary>R-META-3: the absolute URL of a resource of this view's type.</summary>
    public string? LocationOf(string id) => _profile.Locations && _baseUrl is not null ? $"{_baseUrl}/{Endpoint(_type)}/{id}" : null;

    private JsonArray Memberships(IReadOnlyList<string> ids)
    {
        var (otherType, kind) = _type == ResourceType.Group ? (ResourceType.User, "User") : (ResourceType.Group, "direct");
        var values = new JsonArray();
        foreach (var id in ids)
        {
            var value = new JsonObject { ["value"] = id };
            if (_baseUrl is not null)
                value["$ref"] = $"{_baseUrl}/{Endpoint(otherType)}/{id}";
            value["type"] = kind;
            values.Add(value);
        }
        return values;
    }

    private static string Endpoint(ResourceType type) => type == ResourceType.User ? "Users" : "Groups";
}
