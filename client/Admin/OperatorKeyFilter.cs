using IdentityDirectory.Gateway.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Admin;

/// <summary>The admin API opens only with the operator key (O-1), sent as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
public sealed class OperatorKeyFilter(IGrainFactory grains) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await OperatorKey.IsPresentedAsync(context.HttpContext.Request, grains))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The operator key is missing or wrong.");
        AuditContext.Set(AuditContext.Operator, RequestIds.Of(context.HttpContext));
        return await next(context);
    }
}
