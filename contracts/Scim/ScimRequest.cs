namespace IdentityDirectory.Scim;

/// <summary>
/// One SCIM request as a resource grain receives it: the tenant's wire profile, looked up once by the
/// gateway; the body of a write; the projection and preconditions the client asked for; and the
/// tenant's SCIM base URL (<c>{public base}/{tenantId}/scim/v2</c>), which <c>meta.location</c> and
/// member references start with (null where no client URL applies, e.g. the operator's writes).
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ScimRequest")]
public sealed record ScimRequest(
    [property: Id(0)] WireProfile Profile,
    [property: Id(1)] string? Body = null,
    [property: Id(2)] Projection? Projection = null,
    [property: Id(3)] Preconditions? Preconditions = null,
    [property: Id(4)] string? BaseUrl = null);

/// <summary>The <c>attributes</c> and <c>excludedAttributes</c> parameters as sent: comma-separated attribute paths (R-CRUD-7).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.Projection")]
public sealed record Projection(
    [property: Id(0)] string? Attributes,
    [property: Id(1)] string? ExcludedAttributes);

/// <summary>The <c>If-Match</c> and <c>If-None-Match</c> headers as sent (R-ETAG-2, R-ETAG-3).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.Preconditions")]
public sealed record Preconditions(
    [property: Id(0)] string? IfMatch,
    [property: Id(1)] string? IfNoneMatch);

/// <summary>
/// A resource grain's answer: the resource as the profile shows it (null for a 204), its ETag and
/// location where the profile has them (R-META-3), or <see cref="NotModified"/> when an
/// <c>If-None-Match</c> matched (R-ETAG-3).
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ScimResponse")]
public sealed record ScimResponse(
    [property: Id(0)] ScimJson? Body,
    [property: Id(1)] string? ETag = null,
    [property: Id(2)] string? Location = null,
    [property: Id(3)] bool NotModified = false);

public static class ListPaging
{
    /// <summary>R-LST-2, R-LST-3: the default and largest page.</summary>
    public const int MaxCount = 100;
}
