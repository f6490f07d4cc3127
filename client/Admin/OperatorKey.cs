using System.Net.Http.Headers;
using System.Text;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Admin;

/// <summary>The operator key as a request presents it (O-1), checked by the operator grain in constant time.</summary>
public static class OperatorKey
{
    private const int MaxLength = 256;

    /// <param name="acceptBasic">whether the key may also come as the password of HTTP Basic authentication, which is how a browser sends it.</param>
    public static async Task<bool> IsPresentedAsync(HttpRequest request, IGrainFactory grains, bool acceptBasic = false) =>
        Read(request, acceptBasic) is { } key && await VerifyAsync(grains, key);

    /// <summary>Whether <paramref name="key"/> is the operator key, as the operator grain judges it; an overlong one is not asked about.</summary>
    public static async Task<bool> VerifyAsync(IGrainFactory grains, string key) =>
        key.Length is > 0 and <= MaxLength && await grains.Reference<IOperatorGrain>(IOperatorGrain.Key).VerifyKeyAsync(key);

    private static string? Read(HttpRequest request, bool acceptBasic)
    {
        if (BearerToken.TryRead(request, out var bearer))
            return bearer;
        if (!acceptBasic || !AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is not { Length: <= 2 * MaxLength } encoded)
            return null;
        Span<byte> decoded = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, decoded, out var length))
            return null;
        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var password = credentials[(credentials.IndexOf(':') + 1)..];
        return credentials.Contains(':') ? password : null;
    }
}
