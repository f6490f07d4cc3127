using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>Only the rendered resource is kept (see UserState); attributes are parsed again for a write.</summary>
public sealed record GroupState(long Version, DateTimeOffset Created, DateTimeOffset LastModified, ScimJson Json)
{
    public JsonObject Attributes
    {
        get
        {
            var attributes = ResourceJson.Attributes(Json);
            attributes.Remove("members");
            return attributes;
        }
    }
}
