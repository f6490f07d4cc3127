namespace IdentityDirectory.Tokens;

/// <summary>
/// A SCIM bearer token as handed to the IdP: <c>{tokenId}.{secret}</c>. The id names the token grain,
/// so validation needs no lookup; only the secret is verified against the stored hash.
/// </summary>
public static class ScimToken
{
    public static string Format(string tokenId, string secret) => $"{tokenId}.{secret}";

    public static bool TryParse(string token, out string tokenId, out string secret)
    {
        tokenId = secret = "";
        var dot = token.IndexOf('.');
        if (dot != 32 || token.Length > 128 || !Guid.TryParseExact(token.AsSpan(0, dot), "N", out _))
            return false;
        tokenId = token[..dot];
        secret = token[(dot + 1)..];
        return secret.Length > 0;
    }
}
