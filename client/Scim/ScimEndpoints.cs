using IdentityDirectory.Bulk;
using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The SCIM 2.0 surface at <c>/{tenantId}/scim/v2</c>. Handlers only translate HTTP to grain calls, each
/// carrying the tenant's wire profile (<see cref="DirectoryScope"/>); errors, auth, throttling and the
/// request id are set once on the group.
/// </summary>
public static class ScimEndpoints
{
    public static IEndpointRouteBuilder MapScimGateway(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup("/{tenantId}/scim/v2")
            .AddEndpointFilter<ScimErrorFilter>()
            .AddEndpointFilter<ScimAuthFilter>()
            .AddEndpointFilter<ScimThrottleFilter>();

        scim.MapGet("/ServiceProviderConfig", (DirectoryScope scope, HttpRequest request) =>
            Discover(scope, request, discovery => discovery.ServiceProviderConfig));
        scim.MapGet("/ResourceTypes", (DirectoryScope scope, HttpRequest request) =>
            Discover(scope, request, discovery => discovery.ResourceTypes));
        scim.MapGet("/ResourceTypes/{id}", (DirectoryScope scope, HttpRequest request, string id) =>
            scope.Profile.ResourceTypeById
                ? Discover(scope, request, discovery => discovery.ResourceType(id) ?? throw ScimException.NotFound($"Resource type {id} not found."))
                : throw NotServed(request));
        scim.MapGet("/Schemas", (DirectoryScope scope, HttpRequest request) =>
            Discover(scope, request, discovery => discovery.Schemas));
        scim.MapGet("/Schemas/{id}", (DirectoryScope scope, HttpRequest request, string id) =>
            Discover(scope, request, discovery => discovery.Schema(id) ?? throw ScimException.NotFound($"Schema {id} not found.")));

        MapUsers(scim.MapGroup("/Users"));
        MapGroups(scim.MapGroup("/Groups"));
        scim.MapPost("/.search", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await Queries(grains, scope).SearchAsync(scope.Request(await ScimBody.ReadAsync(request)), null), scope.Profile));
        scim.MapPost("/Bulk", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await grains.Reference<IBulkGrain>(scope.Partition).ProcessAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile));

        // R-DISC-5, R-IMP-2: /Me, and anything else under an authenticated base, is not served: 404, or /Me 501 where the profile says.
        scim.Map("/Me/{**rest}", (DirectoryScope scope, HttpRequest request) => ScimResults.Error(scope.Profile.Unserved(What(request))));
        scim.Map("/{**rest}", (HttpRequest request) => ScimResults.Error(NotServed(request)));
        return app;
    }

    private static void MapUsers(RouteGroupBuilder users)
    {
        users.MapGet("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await Queries(grains, scope).ListUsersAsync(ListRequestOf(scope, request)), scope.Profile));
        users.MapPost("/.search", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await Queries(grains, scope).SearchAsync(scope.Request(await ScimBody.ReadAsync(request)), ResourceType.User), scope.Profile));
        users.MapPost("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var user = grains.Reference<IUserGrain>(scope.Key(ResourceKey.NewId(time)));
            return ScimResults.Resource(await user.CreateAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile, StatusCodes.Status201Created);
        });
        users.MapGet("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
            ScimResults.Resource(await User(grains, scope, id).GetAsync(scope.Request()), scope.Profile));
        users.MapPut("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Resource(await User(grains, scope, id).ReplaceAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile));
        users.MapPatch("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Resource(await User(grains, scope, id).PatchAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile));
        users.MapDelete("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
        {
            await User(grains, scope, id).DeleteAsync(scope.Request());
            return ScimResults.NoContent();
        });
    }

    private static void MapGroups(RouteGroupBuilder groups)
    {
        groups.MapGet("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await Queries(grains, scope).ListGroupsAsync(ListRequestOf(scope, request)), scope.Profile));
        groups.MapPost("/.search", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Json(await Queries(grains, scope).SearchAsync(scope.Request(await ScimBody.ReadAsync(request)), ResourceType.Group), scope.Profile));
        groups.MapPost("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var group = grains.Reference<IGroupGrain>(scope.Key(ResourceKey.NewId(time)));
            return ScimResults.Resource(await group.CreateAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile, StatusCodes.Status201Created);
        });
        groups.MapGet("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
            ScimResults.Resource(await Group(grains, scope, id).GetAsync(scope.Request()), scope.Profile));
        groups.MapPut("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Resource(await Group(grains, scope, id).ReplaceAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile));
        groups.MapPatch("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
            ScimResults.Resource(await Group(grains, scope, id).PatchAsync(scope.Request(await ScimBody.ReadAsync(request))), scope.Profile));
        groups.MapDelete("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
        {
            await Group(grains, scope, id).DeleteAsync(scope.Request());
            return ScimResults.NoContent();
        });
    }

    /// <summary>A discovery document (R-DISC-1..3) of the tenant's profile; discovery ignores paging and sorting, and a filter is 403 where the profile says (R-DISC-4).</summary>
    private static IResult Discover(DirectoryScope scope, HttpRequest request, Func<Discovery, ScimJson> document)
    {
        if (scope.Profile.FilterForbiddenOnDiscovery && request.Query.ContainsKey("filter"))
            throw new ScimException(403, null, "Discovery endpoints do not support filtering.");
        return ScimResults.Json(document(Discovery.Of(scope.Profile)), scope.Profile);
    }

    private static ScimException NotServed(HttpRequest request) => ScimException.NotFound($"{What(request)} is not supported.");

    private static string What(HttpRequest request) => $"{request.Method} {request.Path}";

    private static IUserGrain User(IGrainFactory grains, DirectoryScope scope, string id) => grains.Reference<IUserGrain>(scope.Key(id));

    private static IGroupGrain Group(IGrainFactory grains, DirectoryScope scope, string id) => grains.Reference<IGroupGrain>(scope.Key(id));

    private static IDirectoryQueryGrain Queries(IGrainFactory grains, DirectoryScope scope) => grains.DirectoryQueriesOf(scope.Partition);

    private static ListRequest ListRequestOf(DirectoryScope scope, HttpRequest request) =>
        new(scope.Profile, ScimQuery.ListQueryOf(request.Query), ScimQuery.ProjectionOf(request.Query), scope.BaseUrl);
}
