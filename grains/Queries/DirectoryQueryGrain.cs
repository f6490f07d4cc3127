using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Orleans.Concurrency;

namespace IdentityDirectory.Queries;

/// <summary>
/// Answers the list, filter and search queries of one directory partition (keyed by it) from the store's
/// indexes, each page shown in the request's wire profile.
/// </summary>
[StatelessWorker]
public sealed class DirectoryQueryGrain(IDirectoryStore store) : Grain, IDirectoryQueryGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public Task<ScimJson> ListUsersAsync(ListRequest request) => QueryUsersAsync(request, UserAttribute);

    public Task<ScimJson> SearchUsersAsync(ListQuery query) => QueryUsersAsync(new ListRequest(WireProfile.Aws, query), OperatorUserAttribute);

    private async Task<ScimJson> QueryUsersAsync(ListRequest request, Func<string, string> attributeOf)
    {
        var page = ListPages.Of(request.Profile, request.Query);
        var result = await store.QueryUsersAsync(TenantId, UserFilter(request.Query.Filter, attributeOf), page);
        return ListResponse.Write(page, result.Total, result.NextCursor, await ShowAsync(request, ResourceType.User, result));
    }

    public async Task<ScimJson> ListGroupsAsync(ListRequest request)
    {
        var page = ListPages.Of(request.Profile, request.Query);
        var result = await QueryGroupsAsync(request.Profile, GroupFilter(request.Query.Filter), page);
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
        var users = Filter(() => UserFilter(request.Query.Filter, UserAttribute), out var usersRefused);
        var groups = Filter(() => GroupFilter(request.Query.Filter), out var groupsRefused);
        if (usersRefused is not null && groupsRefused is not null)
            throw usersRefused;

        var userPage = users is null ? Empty : await store.QueryUsersAsync(TenantId, users, page);
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

    private async Task<ResourcePage> QueryGroupsAsync(WireProfile profile, GroupQuery filter, PageRequest page)
    {
        if (profile.UnknownMemberIsNotFound && filter.Kind is GroupQueryKind.HasMember or GroupQueryKind.IdAndMember)
        {
            var member = filter.Kind == GroupQueryKind.HasMember ? filter.Value! : filter.Second!;
            if (!await store.UserExistsAsync(TenantId, member))
                throw ScimException.NotFound($"User {member} not found."); // R-FLT-7 [AWS]
        }
        return await store.QueryGroupsAsync(TenantId, filter, page);
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
                ? (await store.MembersOfAsync(TenantId, ids)).ToLookup(m => m.GroupId, m => m.UserId)
                : (await store.GroupsOfAsync(TenantId, ids)).ToLookup(m => m.UserId, m => m.GroupId);
        }
        return page.Resources.Select(r => view.Render(r.Id, r.Version, new ScimJson(r.Json), memberships?[r.Id].ToList())).ToList();
    }

    private static UserQuery UserFilter(string? filter, Func<string, string> attributeOf)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return new UserQuery(UserQueryKind.All);
        var terms = Terms(filter, attributeOf);
        return terms.Keys.Order().ToArray() switch
        {
            ["userName"] => new UserQuery(UserQueryKind.UserName, terms["userName"]),
            ["displayName"] => new UserQuery(UserQueryKind.DisplayName, terms["displayName"]),
            ["externalId"] => new UserQuery(UserQueryKind.ExternalId, terms["externalId"]),
            ["id"] => new UserQuery(UserQueryKind.Id, terms["id"]),
            ["groups"] => new UserQuery(UserQueryKind.MemberOfGroup, terms["groups"]),
            ["id", "manager"] => new UserQuery(UserQueryKind.IdAndManager, terms["id"], terms["manager"]),
            _ => throw Unsupported(filter),
        };
    }

    private static GroupQuery GroupFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return new GroupQuery(GroupQueryKind.All);
        var terms = Terms(filter, GroupAttribute);
        return terms.Keys.Order().ToArray() switch
        {
            ["displayName"] => new GroupQuery(GroupQueryKind.DisplayName, terms["displayName"]),
            ["externalId"] => new GroupQuery(GroupQueryKind.ExternalId, terms["externalId"]),
            ["id"] => new GroupQuery(GroupQueryKind.Id, terms["id"]),
            ["members"] => new GroupQuery(GroupQueryKind.HasMember, terms["members"]),
            ["id", "members"] => new GroupQuery(GroupQueryKind.IdAndMember, terms["id"], terms["members"]),
            _ => throw Unsupported(filter),
        };
    }

    private static Dictionary<string, string> Terms(string filter, Func<string, string> attributeOf)
    {
        var terms = new Dictionary<string, string>();
        foreach (var term in FilterParser.ParseConjunction(filter))
        {
            if (!terms.TryAdd(attributeOf(term.AttributePath), term.Value!))
                throw Unsupported(filter);
        }
        return terms;
    }

    private static string UserAttribute(string path) => Canonical(path, ScimSchemas.User.Id) switch
    {
        "username" => "userName",
        "externalid" => "externalId",
        "id" => "id",
        "groups" or "groups.value" => "groups",
        "manager" or "manager.value" => "manager",
        _ when IsEnterpriseManager(path) => "manager",
        _ => throw ScimException.InvalidFilter($"Filtering users on '{path}' is not supported."),
    };

    /// <summary>The operator may also find users by display name; SCIM clients of the aws profile may not (R-FLT-6).</summary>
    private static string OperatorUserAttribute(string path) =>
        Canonical(path, ScimSchemas.User.Id) == "displayname" ? "displayName" : UserAttribute(path);

    private static string GroupAttribute(string path) => Canonical(path, ScimSchemas.Group.Id) switch
    {
        "displayname" => "displayName",
        "externalid" => "externalId",
        "id" => "id",
        "members" or "members.value" => "members",
        _ => throw ScimException.InvalidFilter($"Filtering groups on '{path}' is not supported."),
    };

    private static string Canonical(string path, string schema) =>
        (path.StartsWith(schema + ":", StringComparison.OrdinalIgnoreCase) ? path[(schema.Length + 1)..] : path).ToLowerInvariant();

    private static bool IsEnterpriseManager(string path) =>
        path.Equals($"{ScimSchemas.EnterpriseUser.Id}:manager", StringComparison.OrdinalIgnoreCase)
        || path.Equals($"{ScimSchemas.EnterpriseUser.Id}:manager.value", StringComparison.OrdinalIgnoreCase);

    private static ScimException Unsupported(string filter) =>
        ScimException.InvalidFilter($"The filter '{filter}' is not supported.");
}
