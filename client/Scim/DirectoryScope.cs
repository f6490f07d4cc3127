using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// What an authenticated SCIM request works with: the directory partition its token opens and the tenant's
/// settings and wire profile, looked up once for the request. Bound as a handler parameter; read after
/// the auth filter has run.
/// </summary>
public sealed class DirectoryScope(HttpContext context)
{
    private static readonly object ScopeKey = new();

    private sealed record Scope(string TenantId, string Partition, TenantScim Tenant);

    public static ValueTask<DirectoryScope?> BindAsync(HttpContext context) => ValueTask.FromResult<DirectoryScope?>(new DirectoryScope(context));

    public static void Set(HttpContext context, string tenantId, string partition, TenantScim tenant) =>
        context.Items[ScopeKey] = new Scope(tenantId, partition, tenant);

    /// <summary>The profile of the request's tenant once it is authenticated, else null (the answer to a refused request).</summary>
    public static WireProfile? ProfileOf(HttpContext context) => (context.Items[ScopeKey] as Scope)?.Tenant.Profile;

    private Scope Current => context.Items[ScopeKey] as Scope ?? throw new InvalidOperationException("The request was not authenticated.");

    public string TenantId => Current.TenantId;

    public string Partition => Current.Partition;

    public TenantSettings Settings => Current.Tenant.Settings;

    public WireProfile Profile => Current.Tenant.Profile;

    /// <summary>The tenant's SCIM base URL as this request reached it, where the profile shows locations (R-META-3).</summary>
    public string? BaseUrl => Profile.Locations ? ProvisioningGrant.EndpointOf(AdminEndpoints.PublicBase(context.Request), Current.TenantId) : null;

    public string Key(string id) => ResourceKey.Of(Partition, id);

    /// <summary>The request for a resource grain: the profile, the body, and what the client asked of the answer.</summary>
    public ScimRequest Request(string? body = null)
    {
        var http = context.Request;
        return new ScimRequest(Profile, body, ScimQuery.ProjectionOf(http.Query), PreconditionsOf(http.Headers), BaseUrl);
    }

    private static Preconditions? PreconditionsOf(IHeaderDictionary headers) =>
        headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0
            ? null
            : new Preconditions(NullIfEmpty(headers.IfMatch.ToString()), NullIfEmpty(headers.IfNoneMatch.ToString()));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
