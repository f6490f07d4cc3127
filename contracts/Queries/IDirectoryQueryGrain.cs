using IdentityDirectory.Scim;

namespace IdentityDirectory.Queries;

/// <summary>The raw list parameters of a SCIM GET on a collection; <see cref="Cursor"/> is "" for a bare <c>?cursor</c>.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ListQuery")]
public sealed record ListQuery(
    [property: Id(0)] string? Filter,
    [property: Id(1)] string? StartIndex,
    [property: Id(2)] string? Count,
    [property: Id(3)] string? Cursor,
    [property: Id(4)] string? SortBy = null,
    [property: Id(5)] string? SortOrder = null);

/// <summary>
/// A list request: what to select (<see cref="Query"/>) and how to answer it, in the tenant's wire
/// profile, with the client's projection (R-CRUD-7) and the tenant's SCIM base URL for <c>meta.location</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ListRequest")]
public sealed record ListRequest(
    [property: Id(0)] WireProfile Profile,
    [property: Id(1)] ListQuery Query,
    [property: Id(2)] Projection? Projection = null,
    [property: Id(3)] string? BaseUrl = null);

/// <summary>Answers list, filter and search queries of one directory partition from the store's indexes.</summary>
public interface IDirectoryQueryGrain : IGrainWithStringKey
{
    /// <summary>A ListResponse of users (R-LST-1..4, R-FLT-6, R-FLT-7).</summary>
    Task<ScimJson> ListUsersAsync(ListRequest request);

    /// <summary>
    /// A ListResponse of users for the operator (admin API, console), as the stored resources read: the filters of
    /// the aws profile and also <c>displayName eq "…"</c>, compared without regard to ASCII case.
    /// </summary>
    Task<ScimJson> SearchUsersAsync(ListQuery query);

    /// <summary>A ListResponse of groups; members as the profile returns them (R-GRP-4).</summary>
    Task<ScimJson> ListGroupsAsync(ListRequest request);

    /// <summary>
    /// <c>POST /Users/.search</c>, <c>/Groups/.search</c> (the given type) or <c>/.search</c> (both, users
    /// first) with a SearchRequest body, where the profile serves it (R-SRCH-1).
    /// </summary>
    Task<ScimJson> SearchAsync(ScimRequest request, ResourceType? type);
}
