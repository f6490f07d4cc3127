using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway;

/// <summary>Renders a grain's refusal as an RFC 7807 problem on the JSON APIs that are not SCIM (admin, portal).</summary>
public sealed class ProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ScimException error)
        {
            return Results.Problem(statusCode: error.Status, detail: error.Detail);
        }
    }
}
