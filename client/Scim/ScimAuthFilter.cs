using IdentityDirectory.Scim;
using IdentityDirectory.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// Bearer-token check of every SCIM request, before routing decides anything else (R-IMP-2). Every
/// failure — no header, another scheme, a malformed, unknown, deleted or expired token, a token of
/// another tenant, an unknown tenant — is the same 401 (R-GEN-2, T-10). An authenticated request's
/// scope gets the tenant's settings and wire profile, looked up here once for the request.
/// </summary>
public sealed class ScimAuthFilter(IGrainFactory grains, TokenCache tokens, TenantSettingsCache settings) : IEndpointFilter
{
    // One delegate for all requests, so a request answered from the cache allocates none.
    private readonly Func<string, string, Task<TokenGrant?>> _askGrain = (tokenKey, secret) => grains.Reference<ITokenGrain>(tokenKey).ValidateAsync(secret);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tenantId = http.GetRouteValue("tenantId") as string;
        if (tenantId is null || !Guid.TryParse(tenantId, out _) || !BearerToken.TryRead(http.Request, out var token)
            || !ScimToken.TryParse(token, out var tokenId, out var secret)
            || await tokens.ValidateAsync(ResourceKey.Of(tenantId, tokenId), secret, _askGrain) is not { } partition)
        {
            return ScimResults.Error(ScimException.Unauthorized());
        }
        DirectoryScope.Set(http, tenantId, partition, await settings.GetAsync(tenantId));
        AuditContext.Set(AuditContext.Token(tokenId), RequestIds.Of(http));
        return await next(context);
    }
}
