using System.Security.Cryptography;
using System.Text;

namespace IdentityDirectory.Tokens;

/// <summary>
/// Secrets (SCIM tokens, the operator key) are 256-bit random values, so a salted SHA-256 is enough to
/// make the stored hash useless to a reader of the database; a slow KDF would only add latency to
/// every request. Comparison is constant-time.
/// </summary>
public static class SecretHasher
{
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (byte[] Salt, byte[] Hash) Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return (salt, Hash(salt, secret));
    }

    public static bool Verify(string secret, byte[] salt, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Hash(salt, secret), expected);

    private static byte[] Hash(byte[] salt, string secret)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(input, 0);
        secretBytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }
}
