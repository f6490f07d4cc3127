using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Admin;

public sealed record IdentitySourceRequest(IdentitySource IdentitySource, string? ExternalIdpName = null);

public sealed record AssignmentPage(IReadOnlyList<Assignment> Assignments, long? Next);

/// <summary>
/// Access administration of a tenant: assignments (I-2, S-5), revoking a user's sessions (S-3), the
/// identity source (I-1..I-10) and the password-reset flag it may set (I-4).
/// </summary>
public static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccessAdministration(this RouteGroupBuilder tenants)
    {
        tenants.MapPost("/{tenantId}/assignments", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
        {
            var assignment = await Assignments(grains, tenantId).CreateAsync(await AdminBody.ReadAsync<AssignmentRequest>(request));
            return Results.Created($"/admin/tenants/{tenantId}/assignments/{assignment.Id}", assignment);
        }).Accepts<AssignmentRequest>(AdminBody.ContentType);
        tenants.MapGet("/{tenantId}/assignments", async (string tenantId, string? principalId, string? target, long? after, int? count, IGrainFactory grains) =>
        {
            var size = AdminPages.Size(count);
            var page = await Assignments(grains, tenantId).ListAsync(principalId, target, after ?? 0, size);
            return Results.Ok(new AssignmentPage(page, AdminPages.Next(page, size, a => a.Seq)));
        });
        tenants.MapDelete("/{tenantId}/assignments/{assignmentId}", async (string tenantId, string assignmentId, IGrainFactory grains) =>
        {
            await Assignments(grains, tenantId).DeleteAsync(assignmentId);
            return Results.NoContent();
        });
        tenants.MapGet("/{tenantId}/users/{userId}/access", async (string tenantId, string userId, IGrainFactory grains) =>
            Results.Ok(await Assignments(grains, tenantId).EffectiveAccessAsync(userId)));
        tenants.MapDelete("/{tenantId}/users/{userId}/sessions", async (string tenantId, string userId, IGrainFactory grains) =>
        {
            var partition = await grains.Reference<IDirectoryGrain>(tenantId).GetPartitionAsync();
            await grains.Reference<IUserGrain>(ResourceKey.Of(partition, userId)).RevokeSessionsAsync();
            return Results.NoContent();
        });
        tenants.MapGet("/{tenantId}/users/{userId}/password", async (string tenantId, string userId, IGrainFactory grains) =>
            Results.Ok(new { resetRequired = await grains.Reference<IDirectoryGrain>(tenantId).PasswordResetRequiredAsync(userId) }));
        tenants.MapPut("/{tenantId}/identity-source", async (string tenantId, HttpRequest http, IGrainFactory grains) =>
        {
            var request = await AdminBody.ReadAsync<IdentitySourceRequest>(http);
            return Results.Ok(await grains.Reference<IDirectoryGrain>(tenantId).ChangeIdentitySourceAsync(request.IdentitySource, request.ExternalIdpName));
        }).Accepts<IdentitySourceRequest>(AdminBody.ContentType);
        return tenants;
    }

    private static IAssignmentsGrain Assignments(IGrainFactory grains, string tenantId) => grains.Reference<IAssignmentsGrain>(tenantId);
}
