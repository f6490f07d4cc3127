using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Admin;

public sealed record CreateTenantRequest(string? DisplayName, IdentitySource? IdentitySource, string? ExternalIdpName);

/// <summary>
/// The operator's admin API at <c>/admin</c> (JSON, RFC 7807 problems): create and read tenants,
/// enable automatic provisioning and generate SCIM tokens.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin")
            .AddEndpointFilter<OperatorKeyFilter>()
            .AddEndpointFilter(async (context, next) =>
            {
                try
                {
                    return await next(context);
                }
                catch (ScimException error)
                {
                    return Results.Problem(statusCode: error.Status, detail: error.Detail);
                }
            });

        admin.MapGet("/", () => Results.Ok(new { tenants = "/admin/tenants" }));
        admin.MapPost("/tenants", async (CreateTenantRequest request, IGrainFactory grains) =>
        {
            var tenantId = Guid.NewGuid().ToString();
            var spec = new TenantSpec(request.DisplayName ?? tenantId, request.IdentitySource ?? IdentitySource.IdentityCenter, request.ExternalIdpName);
            var tenant = await grains.GetGrain<IDirectoryGrain>(tenantId).CreateAsync(spec);
            return Results.Created($"/admin/tenants/{tenantId}", tenant);
        });
        admin.MapGet("/tenants/{tenantId}", async (string tenantId, IGrainFactory grains) =>
            await grains.GetGrain<IDirectoryGrain>(tenantId).GetAsync() is { } tenant
                ? Results.Ok(tenant)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Tenant {tenantId} not found."));
        admin.MapPost("/tenants/{tenantId}/provisioning", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IDirectoryGrain>(tenantId).EnableProvisioningAsync(PublicBase(request))));
        admin.MapPost("/tenants/{tenantId}/tokens", async (string tenantId, IGrainFactory grains) =>
            Results.Ok(new { token = await grains.GetGrain<IDirectoryGrain>(tenantId).CreateTokenAsync() }));
        return app;
    }

    public static string PublicBase(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
