using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Admin;

public sealed record MemberRequest(string UserId);

/// <summary>
/// Manual provisioning by the operator (O-4): users, groups and memberships of a tenant whose
/// automatic provisioning is off. Bodies and answers are SCIM resources, validated by the same
/// grains as SCIM writes; while automatic provisioning is on, every write is 409.
/// </summary>
public static class ManualProvisioningEndpoints
{
    public static RouteGroupBuilder MapManualProvisioning(this RouteGroupBuilder tenants)
    {
        var users = tenants.MapGroup("/{tenantId}/users");
        users.MapGet("/", async (string tenantId, string? filter, string? cursor, int? count, IGrainFactory grains) =>
            Json(await grains.GetGrain<IDirectoryQueryGrain>(tenantId).ListUsersAsync(new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        users.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await ManualWriteAsync(grains, tenantId, request);
            var user = grains.GetGrain<IUserGrain>(ResourceKey.Of(tenantId, Guid.NewGuid().ToString()));
            return Json(await user.CreateAsync(body), StatusCodes.Status201Created);
        });
        users.MapPut("/{id}", async (string tenantId, string id, HttpRequest request, IGrainFactory grains) =>
            Json(await grains.GetGrain<IUserGrain>(ResourceKey.Of(tenantId, id)).ReplaceAsync(await ManualWriteAsync(grains, tenantId, request))));
        users.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            await grains.GetGrain<IDirectoryGrain>(tenantId).EnsureManualProvisioningAsync();
            await grains.GetGrain<IUserGrain>(ResourceKey.Of(tenantId, id)).DeleteAsync();
            return Results.NoContent();
        });

        var groups = tenants.MapGroup("/{tenantId}/groups");
        groups.MapGet("/", async (string tenantId, string? filter, string? cursor, int? count, IGrainFactory grains) =>
            Json(await grains.GetGrain<IDirectoryQueryGrain>(tenantId).ListGroupsAsync(new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        groups.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await ManualWriteAsync(grains, tenantId, request);
            var group = grains.GetGrain<IGroupGrain>(ResourceKey.Of(tenantId, Guid.NewGuid().ToString()));
            return Json(await group.CreateAsync(body), StatusCodes.Status201Created);
        });
        groups.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            await grains.GetGrain<IDirectoryGrain>(tenantId).EnsureManualProvisioningAsync();
            await grains.GetGrain<IGroupGrain>(ResourceKey.Of(tenantId, id)).DeleteAsync();
            return Results.NoContent();
        });
        groups.MapPost("/{id}/members", (string tenantId, string id, MemberRequest member, IGrainFactory grains) =>
            ChangeMemberAsync(grains, tenantId, id, "add", member.UserId));
        groups.MapDelete("/{id}/members/{userId}", (string tenantId, string id, string userId, IGrainFactory grains) =>
            ChangeMemberAsync(grains, tenantId, id, "remove", userId));
        return tenants;
    }

    private static async Task<string> ManualWriteAsync(IGrainFactory grains, string tenantId, HttpRequest request)
    {
        await grains.GetGrain<IDirectoryGrain>(tenantId).EnsureManualProvisioningAsync();
        return await ScimBody.ReadAsync(request);
    }

    private static async Task<IResult> ChangeMemberAsync(IGrainFactory grains, string tenantId, string groupId, string op, string userId)
    {
        await grains.GetGrain<IDirectoryGrain>(tenantId).EnsureManualProvisioningAsync();
        var patch = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemaUris.PatchOp),
            ["Operations"] = new JsonArray(new JsonObject
            {
                ["op"] = op,
                ["path"] = "members",
                ["value"] = new JsonArray(new JsonObject { ["value"] = userId }),
            }),
        };
        await grains.GetGrain<IGroupGrain>(ResourceKey.Of(tenantId, groupId)).PatchAsync(patch.ToJsonString());
        return Results.NoContent();
    }

    private static IResult Json(string json, int status = StatusCodes.Status200OK) => ScimResults.Json(json, status);
}
