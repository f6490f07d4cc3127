using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Users;

/// <summary>
/// Only the rendered resource is kept: a directory of 200,000 active users must fit in memory, and
/// a parsed JSON tree costs several times its UTF-8 text. The attributes are parsed again for a write.
/// </summary>
public sealed record UserState(long Version, DateTimeOffset Created, DateTimeOffset LastModified, ScimJson Json, bool SignedIn = false)
{
    public JsonObject Attributes => ResourceJson.Attributes(Json);
}
