using IdentityDirectory.Scim;

namespace IdentityDirectory.Queries;

/// <summary>
/// The raw list parameters of a SCIM GET on a collection; <see cref="Cursor"/> is "" for a bare <c>?cursor</c>.
/// <see cref="Profile"/> is the tenant's wire profile (O-3), which decides what of them is served.
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ListQuery")]
public sealed record ListQuery(
    [property: Id(0)] string? Filter,
    [property: Id(1)] string? StartIndex,
    [property: Id(2)] string? Count,
    [property: Id(3)] string? Cursor,
    [property: Id(4)] string? SortBy = null,
    [property: Id(5)] string? SortOrder = null,
    [property: Id(6)] string Profile = "aws");

/// <summary>Answers list and filter queries of one tenant (keyed by tenant id) from the store's indexes.</summary>
public interface IDirectoryQueryGrain : IGrainWithStringKey
{
    /// <summary>A ListResponse of users (R-LST-1..4, R-FLT-6, R-FLT-7).</summary>
    Task<ScimJson> ListUsersAsync(ListQuery query);

    /// <summary>
    /// A ListResponse of users for the operator (admin API, console): the filters of <see cref="ListUsersAsync"/>
    /// and also <c>displayName eq "…"</c>, compared without regard to ASCII case.
    /// </summary>
    Task<ScimJson> SearchUsersAsync(ListQuery query);

    /// <summary>A ListResponse of groups; members always <c>[]</c> in the aws profile (R-GRP-4).</summary>
    Task<ScimJson> ListGroupsAsync(ListQuery query);
}
