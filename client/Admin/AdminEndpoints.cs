using IdentityDirectory.Directory;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Admin;

public static class AdminOpenApi
{
    /// <summary>Served at /admin/openapi.json.</summary>
    public const string DocumentName = "openapi";
}

public sealed record CreateTenantRequest(string? DisplayName = null, IdentitySource? IdentitySource = null, string? ExternalIdpName = null);

public sealed record ProvisioningEnabled(string ScimEndpoint, string Token, string Note);

public sealed record TokenCreated(string Token, string Note);

public sealed record OperatorKeyRotated(string OperatorKey, string Note);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);

public sealed record EventPage(IReadOnlyList<DirectoryEvent> Events, long? Next);

/// <summary>
/// The operator's admin API at <c>/admin</c>: JSON in and out, RFC 7807 problems, opened only by the
/// operator key (O-1). Tenants (O-2), automatic provisioning (T-1, T-7), tokens (T-2..T-6, T-8, T-9)
/// and the tenant's health events (T-8).
/// </summary>
public static class AdminEndpoints
{
    private const string ShownOnce = "This secret is shown once; only its salted hash is stored.";

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin")
            .AddEndpointFilter<OperatorKeyFilter>()
            .AddEndpointFilter<ProblemFilter>()
            .WithTags("admin");

        admin.MapGet("/", () => Results.Ok(new { tenants = "/admin/tenants", openApi = "/admin/openapi.json" }));
        admin.MapPost("/operator-key", async (HttpResponse response, IGrainFactory grains) =>
            ShownOnceResult(response, new OperatorKeyRotated(await grains.Reference<IOperatorGrain>(IOperatorGrain.Key).RotateKeyAsync(),
                "The old key no longer opens anything. " + ShownOnce)));
        var tenants = admin.MapGroup("/tenants");
        tenants.MapPost("/", CreateTenantAsync).Accepts<CreateTenantRequest>(AdminBody.ContentType);
        tenants.MapGet("/", ListTenantsAsync);
        tenants.MapGet("/{tenantId}", GetTenantAsync);
        tenants.MapDelete("/{tenantId}", async (string tenantId, IGrainFactory grains) =>
        {
            await Directory(grains, tenantId).DeleteAsync();
            return Results.NoContent();
        });
        tenants.MapPost("/{tenantId}/provisioning", async (string tenantId, HttpRequest request, HttpResponse response, IGrainFactory grains) =>
        {
            var grant = await Directory(grains, tenantId).EnableProvisioningAsync(PublicBase(request));
            return ShownOnceResult(response, new ProvisioningEnabled(grant.ScimEndpoint, grant.Token, ShownOnce));
        });
        tenants.MapDelete("/{tenantId}/provisioning", async (string tenantId, IGrainFactory grains) =>
        {
            await Directory(grains, tenantId).DisableProvisioningAsync();
            return Results.NoContent();
        });
        tenants.MapGet("/{tenantId}/tokens", async (string tenantId, IGrainFactory grains) =>
            Results.Ok(await Directory(grains, tenantId).ListTokensAsync()));
        tenants.MapPost("/{tenantId}/tokens", async (string tenantId, HttpResponse response, IGrainFactory grains) =>
            ShownOnceResult(response, new TokenCreated(await Directory(grains, tenantId).CreateTokenAsync(), ShownOnce)));
        tenants.MapDelete("/{tenantId}/tokens/{tokenId}", async (string tenantId, string tokenId, IGrainFactory grains) =>
        {
            await Directory(grains, tenantId).DeleteTokenAsync(tokenId);
            return Results.NoContent();
        });
        tenants.MapGet("/{tenantId}/settings", async (string tenantId, IGrainFactory grains) =>
            Results.Ok(await Directory(grains, tenantId).GetSettingsAsync()));
        tenants.MapPatch("/{tenantId}/settings", async (string tenantId, HttpRequest request, IGrainFactory grains) =>
            Results.Ok(await Directory(grains, tenantId).UpdateSettingsAsync(await AdminBody.ReadAsync<TenantSettingsChange>(request))))
            .Accepts<TenantSettingsChange>(AdminBody.ContentType);
        tenants.MapManualProvisioning();
        tenants.MapAccessAdministration();
        tenants.MapGet("/{tenantId}/events", ListEventsAsync);
        tenants.MapGet("/{tenantId}/audit", ListAuditAsync);
        return app;
    }

    /// <summary>A response that carries a secret: no cache on the way may keep a copy of it.</summary>
    private static IResult ShownOnceResult<T>(HttpResponse response, T body)
    {
        response.Headers.CacheControl = "no-store";
        return Results.Ok(body);
    }

    private static async Task<IResult> CreateTenantAsync(HttpRequest http, IGrainFactory grains)
    {
        var request = await AdminBody.ReadAsync<CreateTenantRequest>(http);
        var tenant = await TenantCatalog.CreateAsync(grains, request.DisplayName, request.IdentitySource, request.ExternalIdpName);
        return Results.Created($"/admin/tenants/{tenant.TenantId}", tenant);
    }

    private static async Task<IResult> GetTenantAsync(string tenantId, IGrainFactory grains) =>
        await Directory(grains, tenantId).GetAsync() is { } tenant
            ? Results.Ok(tenant)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Tenant {tenantId} not found.");

    /// <summary>Tenants with their user and group counts and token reminder; <c>search</c> finds by id or by a part of the name.</summary>
    private static async Task<IResult> ListTenantsAsync(IGrainFactory grains, string? search, string? after, int? count)
    {
        var size = Math.Clamp(count ?? 50, 1, 500);
        var position = after is null ? 0 : long.TryParse(after, out var parsed) ? parsed : -1;
        if (position < 0)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "'after' must be a value returned as 'next'.");
        return Results.Ok(await TenantCatalog.ListAsync(grains, search, position, size));
    }

    /// <summary>In order after <c>after</c>, or with <c>order=newest</c> newest first before <c>before</c>; <c>next</c> continues either way.</summary>
    private static async Task<IResult> ListEventsAsync(string tenantId, IGrainFactory grains, long? after, long? before, string? order, int? count)
    {
        var size = AdminPages.Size(count);
        if (!AdminPages.TryNewestFirst(order, out var newest))
            return AdminPages.UnknownOrder();
        var events = newest
            ? await Directory(grains, tenantId).ListRecentEventsAsync(before ?? long.MaxValue, size)
            : await Directory(grains, tenantId).ListEventsAsync(after ?? 0, size);
        return Results.Ok(new EventPage(events, AdminPages.Next(events, size, e => e.Seq)));
    }

    private static async Task<IResult> ListAuditAsync(string tenantId, IGrainFactory grains, long? after, long? before, string? order, int? count)
    {
        var size = AdminPages.Size(count);
        if (!AdminPages.TryNewestFirst(order, out var newest))
            return AdminPages.UnknownOrder();
        var entries = newest
            ? await Directory(grains, tenantId).ListRecentAuditAsync(before ?? long.MaxValue, size)
            : await Directory(grains, tenantId).ListAuditAsync(after ?? 0, size);
        return Results.Ok(new AuditPage(entries, AdminPages.Next(entries, size, e => e.Seq)));
    }

    private static IDirectoryGrain Directory(IGrainFactory grains, string tenantId) => grains.Reference<IDirectoryGrain>(tenantId);

    public static string PublicBase(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
