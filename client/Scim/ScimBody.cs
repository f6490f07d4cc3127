using System.Buffers;
using System.Text;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// Reads request bodies, SCIM and admin alike: at most 1 MiB (DESIGN.md §4: more is 413) of UTF-8. What the
/// bytes say is checked by <see cref="StrictJson"/>, in the grains for SCIM resources and in
/// <see cref="Admin.AdminBody"/> for the operator's requests.
/// </summary>
public static class ScimBody
{
    public const int MaxBytes = 1024 * 1024;

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as text, for a grain to parse.</summary>
    public static async Task<string> ReadAsync(HttpRequest request)
    {
        var utf8 = await ReadBytesAsync(request);
        try
        {
            return Utf8Strict.GetString(utf8.Span);
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax($"{ScimException.GeneralBadRequest} The body is not valid UTF-8.");
        }
    }

    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                    throw TooLarge();
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    public static ScimException TooLarge() => new(413, null, $"The request body exceeds {MaxBytes} bytes.");
}
