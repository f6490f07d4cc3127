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
            Json(await grains.GetGrain<IDirectoryQueryGrain>(await PartitionAsync(grains, tenantId))
                .ListUsersAsync(new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        users.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var (partition, body) = await ManualWriteAsync(grains, tenantId, request);
            var user = grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, ResourceKey.NewId(time)));
            return Json(await user.CreateAsync(body), StatusCodes.Status201Created);
        });
        users.MapPut("/{id}", async (string tenantId, string id, HttpRequest request, IGrainFactory grains) =>
        {
            var (partition, body) = await ManualWriteAsync(grains, tenantId, request);
            return Json(await grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, id)).ReplaceAsync(body));
        });
        users.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            var partition = await ManualPartitionAsync(grains, tenantId);
            await grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, id)).DeleteAsync();
            return Results.NoContent();
        });

        var groups = tenants.MapGroup("/{tenantId}/groups");
        groups.MapGet("/", async (string tenantId, string? filter, string? cursor, int? count, IGrainFactory grains) =>
            Json(await grains.GetGrain<IDirectoryQueryGrain>(await PartitionAsync(grains, tenantId))
                .ListGroupsAsync(new ListQuery(filter, null, count?.ToString(), cursor ?? ""))));
        groups.MapPost("/", async (string tenantId, HttpRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var (partition, body) = await ManualWriteAsync(grains, tenantId, request);
            var group = grains.GetGrain<IGroupGrain>(ResourceKey.Of(partition, ResourceKey.NewId(time)));
            return Json(await group.CreateAsync(body), StatusCodes.Status201Created);
        });
        groups.MapDelete("/{id}", async (string tenantId, string id, IGrainFactory grains) =>
        {
            var partition = await ManualPartitionAsync(grains, tenantId);
            await grains.GetGrain<IGroupGrain>(ResourceKey.Of(partition, id)).DeleteAsync();
            return Results.NoContent();
        });
        groups.MapPost("/{id}/members", (string tenantId, string id, MemberRequest member, IGrainFactory grains) =>
            ChangeMemberAsync(grains, tenantId, id, "add", member.UserId));
        groups.MapDelete("/{id}/members/{userId}", (string tenantId, string id, string userId, IGrainFactory grains) =>
            ChangeMemberAsync(grains, tenantId, id, "remove", userId));
        return tenants;
    }

    private static Task<string> PartitionAsync(IGrainFactory grains, string tenantId) =>
        grains.GetGrain<IDirectoryGrain>(tenantId).GetPartitionAsync();

    /// <summary>The live partition, once the directory allows a manual write (O-4).</summary>
    private static async Task<string> ManualPartitionAsync(IGrainFactory grains, string tenantId)
    {
        await grains.GetGrain<IDirectoryGrain>(tenantId).EnsureManualProvisioningAsync();
        return await PartitionAsync(grains, tenantId);
    }

    private static async Task<(string Partition, string Body)> ManualWriteAsync(IGrainFactory grains, string tenantId, HttpRequest request) =>
        (await ManualPartitionAsync(grains, tenantId), await ScimBody.ReadAsync(request));

    private static async Task<IResult> ChangeMemberAsync(IGrainFactory grains, string tenantId, string groupId, string op, string userId)
    {
        var partition = await ManualPartitionAsync(grains, tenantId);
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
        await grains.GetGrain<IGroupGrain>(ResourceKey.Of(partition, groupId)).PatchAsync(patch.ToJsonString());
        return Results.NoContent();
    }

    private static IResult Json(ScimJson json, int status = StatusCodes.Status200OK) => ScimResults.Json(json, status);
}
