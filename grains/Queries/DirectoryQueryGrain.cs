using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace IdentityDirectory.Queries;

/// <summary>
/// Answers the list, filter and search queries of one directory partition (keyed by it, with or without one of the
/// lanes of <see cref="DirectoryQueries"/>) from the store's indexes, each page shown in the request's wire profile.
/// </summary>
[StatelessWorker]
public sealed class DirectoryQueryGrain(IDirectoryStore store, IOptions<DirectoryOptions> options) : Grain, IDirectoryQueryGrain
{
    private DirectoryPartition? _partition;

    private DirectoryPartition Partition => _partition ??= DirectoryPartition.Parse(DirectoryQueries.PartitionKeyOf(this.GetPrimaryKeyString()));

    public Task<ScimJson> ListUsersAsync(ListRequest request) => QueryUsersAsync(request, FilterCapability.For(request.Profile.Filter));

    /// <remarks>The operator sees the directory as the aws profile shows it, and may also find users by displayName.</remarks>
    public Task<ScimJson> SearchUsersAsync(ListQuery query) => QueryUsersAsync(new ListRequest(WireProfile.Aws, query), FilterCapability.Operator);

    private async Task<ScimJson> QueryUsersAsync(ListRequest request, FilterCapability language)
    {
        var page = ListPages.Of(request.Profile, request.Query);
        var query = Query(request.Profile, language, request.Query, FilterScope.Users);
        var result = await QueryAsync(() => store.QueryUsersAsync(Partition, query, page));
        return ListResponse.Write(page, result.Total, result.NextCursor, await ShowAsync(request, ResourceType.User, result));
    }

    public async Task<ScimJson> ListGroupsAsync(ListRequest request)
    {
        var page = ListPages.Of(request.Profile, request.Query);
        var result = await QueryGroupsAsync(request.Profile, Query(request.Profile, request.Query, FilterScope.Groups), page);
        return ListResponse.Write(page, result.Total, result.NextCursor, await ShowAsync(request, ResourceType.Group, result));
    }

    public async Task<ScimJson> SearchAsync(ScimRequest request, ResourceType? type)
    {
        if (!request.Profile.Search)
            throw request.Profile.Unserved("POST .search"); // R-DISC-5
        var (query, projection) = SearchRequest.Parse(request.Profile, request.Body);
        var list = new ListRequest(request.Profile, query, projection, request.BaseUrl);
        return type switch
        {
            ResourceType.User => await ListUsersAsync(list),
            ResourceType.Group => await ListGroupsAsync(list),
            _ => await SearchEverythingAsync(list),
        };
    }

    /// <summary>
    /// R-SRCH-1, RFC 7644 §3.4.3: a search at the root spans users, then groups, one index over both. A filter
    /// one of the types cannot answer (an attribute it lacks) leaves that type out; one neither can is 400.
    /// </summary>
    private async Task<ScimJson> SearchEverythingAsync(ListRequest request)
    {
        var page = ListPages.Of(request.Profile, request.Query);
        var users = Filter(() => Query(request.Profile, request.Query, FilterScope.Users), out var usersRefused);
        var groups = Filter(() => Query(request.Profile, request.Query, FilterScope.Groups), out var groupsRefused);
        if (usersRefused is not null && groupsRefused is not null)
            throw usersRefused;

        var userPage = users is null ? Empty : await QueryAsync(() => store.QueryUsersAsync(Partition, users, page));
        var userTotal = userPage.Total ?? 0;
        var groupRequest = page with { Count = page.Count - userPage.Resources.Count, StartIndex = Math.Max(1, page.StartIndex - userTotal) };
        var groupPage = groups is null ? Empty : await QueryGroupsAsync(request.Profile, groups, groupRequest);
        var resources = (await ShowAsync(request, ResourceType.User, userPage)).Concat(await ShowAsync(request, ResourceType.Group, groupPage)).ToList();
        return ListResponse.Write(page, userTotal + (groupPage.Total ?? 0), null, resources);
    }

    private static readonly ResourcePage Empty = new([], 0, null);

    private static T? Filter<T>(Func<T> parse, out ScimException? refused) where T : class
    {
        try
        {
            refused = null;
            return parse();
        }
        catch (ScimException e) when (e.ScimType == ScimTypes.InvalidFilter)
        {
            refused = e;
            return null;
        }
    }

    /// <remarks>R-FLT-7 [AWS]: a membership filter naming an unknown user is 404, which the store tells with the page.</remarks>
    private async Task<ResourcePage> QueryGroupsAsync(WireProfile profile, ResourceQuery query, PageRequest page)
    {
        try
        {
            var member = profile.UnknownMemberIsNotFound ? Member(query.Filter) : null;
            return await QueryAsync(() => store.QueryGroupsAsync(Partition, query with { RequiredUser = member }, page));
        }
        catch (UnknownMemberException e)
        {
            throw ScimException.NotFound($"User {e.UserId} not found.");
        }
    }

    /// <summary>A page's resources as the request's profile shows them; their memberships, where shown, in one read of the store.</summary>
    private async Task<IReadOnlyList<ScimJson>> ShowAsync(ListRequest request, ResourceType type, ResourcePage page)
    {
        var view = new ResourceView(request.Profile, type, request.Projection, request.BaseUrl);
        ILookup<string, string>? memberships = null;
        if (view.ShowsMemberships && page.Resources.Count > 0)
        {
            var ids = page.Resources.Select(r => r.Id).ToList();
            memberships = type == ResourceType.Group
                ? (await store.MembersOfAsync(Partition, ids)).ToLookup(m => m.GroupId, m => m.UserId)
                : (await store.GroupsOfAsync(Partition, ids)).ToLookup(m => m.UserId, m => m.GroupId);
        }
        return page.Resources.Select(r => view.Render(r.Id, r.Version, new ScimJson(r.Json), memberships?[r.Id].ToList())).ToList();
    }

    /// <summary>What a list selects: its filter and order as the profile serves them, and the scan limit (R-FLT-5).</summary>
    private ResourceQuery Query(WireProfile profile, ListQuery query, FilterScope scope) => Query(profile, FilterCapability.For(profile.Filter), query, scope);

    private ResourceQuery Query(WireProfile profile, FilterCapability language, ListQuery query, FilterScope scope)
    {
        var sort = profile.Sort ? language.Sort(query.SortBy, query.SortOrder, scope) : null; // R-LST-5 [AWS]: ignored
        return new ResourceQuery(language.Parse(query.Filter, scope), sort, options.Value.FilterScanLimit);
    }

    /// <summary>The user a membership filter names (<c>members eq</c>, alone or with <c>id eq</c>), as the aws subset allows it.</summary>
    private static string? Member(FilterExpression? filter) => filter switch
    {
        AttributeFilter { Operator: FilterOperator.Eq, Value: string id, Attribute.Attribute.Name: "members" } => id,
        AndFilter all => Member(all.Left) ?? Member(all.Right),
        _ => null,
    };

    private static async Task<ResourcePage> QueryAsync(Func<Task<ResourcePage>> query)
    {
        try
        {
            return await query();
        }
        catch (TooManyResultsException e)
        {
            throw new ScimException(400, ScimTypes.TooMany, e.Message); // R-FLT-5
        }
    }
}
