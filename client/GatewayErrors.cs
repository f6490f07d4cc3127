using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway;

/// <summary>
/// The error body of the API a path belongs to, for answers given outside an endpoint's own filter: RFC 7807
/// problem details on the operator's APIs (<c>/admin</c>, <c>/portal</c>), the SCIM error
/// body (R-ERR-1) everywhere else.
/// </summary>
public static class GatewayErrors
{
    private static readonly PathString[] OperatorPaths = ["/admin", "/portal"];

    public static bool SpeaksProblems(HttpContext context) => OperatorPaths.Any(prefix => context.Request.Path.StartsWithSegments(prefix));

    public static Task WriteAsync(HttpContext context, ScimException error) => SpeaksProblems(context)
        ? Results.Problem(statusCode: error.Status, detail: error.Detail).ExecuteAsync(context)
        : ScimResults.WriteErrorAsync(context, error);
}
