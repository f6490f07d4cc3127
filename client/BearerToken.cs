using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c>, the only scheme the SCIM and admin APIs accept (R-GEN-2, O-1).</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static bool TryRead(HttpRequest request, out string token)
    {
        var header = request.Headers.Authorization.ToString();
        token = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";
        return token.Length > 0;
    }
}
