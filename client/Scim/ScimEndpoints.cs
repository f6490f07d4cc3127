using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The SCIM 2.0 surface at <c>/{tenantId}/scim/v2</c>. Handlers only translate HTTP to grain calls;
/// errors, auth and the request id are set once on the group.
/// </summary>
public static class ScimEndpoints
{
    public static IEndpointRouteBuilder MapScimGateway(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup("/{tenantId}/scim/v2")
            .AddEndpointFilter<ScimErrorFilter>()
            .AddEndpointFilter<ScimAuthFilter>()
            .AddEndpointFilter<ScimThrottleFilter>();

        scim.MapGet("/ServiceProviderConfig", () => ScimResults.Json(Discovery.ServiceProviderConfig));
        scim.MapGet("/ResourceTypes", () => ScimResults.Json(Discovery.ResourceTypes));
        scim.MapGet("/Schemas", () => ScimResults.Json(Discovery.Schemas));
        scim.MapGet("/Schemas/{id}", (string id) =>
            Discovery.Schema(id) is { } schema ? ScimResults.Json(schema) : throw ScimException.NotFound($"Schema {id} not found."));

        MapUsers(scim.MapGroup("/Users"));
        MapGroups(scim.MapGroup("/Groups"));

        // R-DISC-5, R-IMP-2: anything else under an authenticated base (/Me, /Bulk, /.search, …) is 404.
        scim.Map("/{**rest}", (HttpContext context) =>
            ScimResults.Error(ScimException.NotFound($"{context.Request.Method} {context.Request.Path} is not supported.")));
        return app;
    }

    private static void MapUsers(RouteGroupBuilder users)
    {
        users.MapGet("/", (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ListAsync(grains.GetGrain<IDirectoryQueryGrain>(scope.Partition).ListUsersAsync(ListQueryOf(request))));
        users.MapPost("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var body = await ScimBody.ReadAsync(request);
            var user = grains.GetGrain<IUserGrain>(scope.Key(ResourceKey.NewId(time)));
            return ScimResults.Json(await user.CreateAsync(body), StatusCodes.Status201Created);
        });
        users.MapGet("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
            ScimResults.Json(await User(grains, scope, id).GetAsync()));
        users.MapPut("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await ScimBody.ReadAsync(request);
            return ScimResults.Json(await User(grains, scope, id).ReplaceAsync(body));
        });
        users.MapPatch("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await ScimBody.ReadAsync(request);
            return ScimResults.Json(await User(grains, scope, id).PatchAsync(body));
        });
        users.MapDelete("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
        {
            await User(grains, scope, id).DeleteAsync();
            return ScimResults.NoContent();
        });
    }

    private static void MapGroups(RouteGroupBuilder groups)
    {
        groups.MapGet("/", (DirectoryScope scope, HttpRequest request, IGrainFactory grains) =>
            ListAsync(grains.GetGrain<IDirectoryQueryGrain>(scope.Partition).ListGroupsAsync(ListQueryOf(request))));
        groups.MapPost("/", async (DirectoryScope scope, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var body = await ScimBody.ReadAsync(request);
            var group = grains.GetGrain<IGroupGrain>(scope.Key(ResourceKey.NewId(time)));
            return ScimResults.Json(await group.CreateAsync(body), StatusCodes.Status201Created);
        });
        groups.MapGet("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
            ScimResults.Json(await Group(grains, scope, id).GetAsync()));
        groups.MapPatch("/{id}", async (DirectoryScope scope, string id, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await ScimBody.ReadAsync(request);
            await Group(grains, scope, id).PatchAsync(body);
            return ScimResults.NoContent(); // R-PAT-4
        });
        groups.MapDelete("/{id}", async (DirectoryScope scope, string id, IGrainFactory grains) =>
        {
            await Group(grains, scope, id).DeleteAsync();
            return ScimResults.NoContent();
        });
        groups.MapPut("/{id}", () => ScimResults.Error(ScimException.InvalidSyntax(
            "PUT is not supported on Groups; use PATCH."))); // R-CRUD-5 [AWS]
    }

    private static IUserGrain User(IGrainFactory grains, DirectoryScope scope, string id) => grains.GetGrain<IUserGrain>(scope.Key(id));

    private static IGroupGrain Group(IGrainFactory grains, DirectoryScope scope, string id) => grains.GetGrain<IGroupGrain>(scope.Key(id));

    private static async Task<IResult> ListAsync(Task<ScimJson> list) => ScimResults.Json(await list);

    private static ListQuery ListQueryOf(HttpRequest request)
    {
        var query = request.Query;
        string? Value(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        return new ListQuery(Value("filter"), Value("startIndex"), Value("count"), Value("cursor"), Value("sortBy"), Value("sortOrder"));
    }
}
