using System.Text;

namespace IdentityDirectory.Scim;

/// <summary>
/// A rendered SCIM resource or list response as UTF-8 JSON: the grains keep it, the store holds it and
/// the gateway sends it as these bytes, so nothing is transcoded on the way, a user held in memory costs
/// half of what a string would, and a 100-resource page is no large-object-heap string. Immutable, so
/// grain calls hand it on without a copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ScimJson")]
public sealed record ScimJson([property: Id(0)] byte[] Utf8)
{
    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}
