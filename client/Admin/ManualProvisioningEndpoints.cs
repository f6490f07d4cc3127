using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static IdentityDirectory.Gateway.Admin.OperatorDirectory;

namespace IdentityDirectory.Gateway.Admin;

public sealed record MemberRequest(string UserId);

/// <summary>
/// Manual provisioning by the operator (O-4): users, groups and memberships of a tenant whose
/// automatic provisioning is off. Bodies and answers are SCIM resources, validated by the same
/// grains as SCIM writes; while automatic provisioning is on, every write is 409. The user list
/// also takes <c>displayName eq "…"</c>, the operator's search.
/// </summary>
public static class ManualProvisioningEndpoints
{
    public static RouteGroupBuilder MapManualProvisioning(this RouteGroupBuilder tenants)
    {
        var users = tenants.MapGroup("/{tenantId}/users");
        users.MapGet("/", async (string tenantId, string? filter, string? cursor, int? count, IGrainFactory grains) =>
            Json(await SearchUsersAsync(grains, tenantId, new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        users.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
            Json((await ApplyAsync(grains, tenantId, ManualAction.CreateUser, body: await ScimBody.ReadAsync(request)))!, StatusCodes.Status201Created));
        users.MapPut("/{id}", async (string tenantId, string id, HttpRequest request, IGrainFactory grains) =>
            Json((await ApplyAsync(grains, tenantId, ManualAction.ReplaceUser, id, await ScimBody.ReadAsync(request)))!));
        users.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            await ApplyAsync(grains, tenantId, ManualAction.DeleteUser, id);
            return Results.NoContent();
        });

        var groups = tenants.MapGroup("/{tenantId}/groups");
        groups.MapGet("/", async (string tenantId, string? filter, string? cursor, int? count, IGrainFactory grains) =>
            Json(await ListGroupsAsync(grains, tenantId, new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        groups.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
            Json((await ApplyAsync(grains, tenantId, ManualAction.CreateGroup, body: await ScimBody.ReadAsync(request)))!, StatusCodes.Status201Created));
        groups.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            await ApplyAsync(grains, tenantId, ManualAction.DeleteGroup, id);
            return Results.NoContent();
        });
        groups.MapPost("/{id}/members", async (string tenantId, string id, HttpRequest request, IGrainFactory grains) =>
        {
            await ApplyAsync(grains, tenantId, ManualAction.AddMember, id, userId: (await AdminBody.ReadAsync<MemberRequest>(request)).UserId);
            return Results.NoContent();
        }).Accepts<MemberRequest>(AdminBody.ContentType);
        groups.MapDelete("/{id}/members/{userId}", async (string tenantId, string id, string userId, IGrainFactory grains) =>
        {
            await ApplyAsync(grains, tenantId, ManualAction.RemoveMember, id, userId: userId);
            return Results.NoContent();
        });
        return tenants;
    }

    private static IResult Json(ScimJson json, int status = StatusCodes.Status200OK) => ScimResults.Json(json, WireProfile.Aws, status);
}
