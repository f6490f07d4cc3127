using System.Buffers;
using System.Text;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>Reads a request body as text, refusing anything over 1 MiB with 413 (DESIGN.md §4).</summary>
public static class ScimBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<string> ReadAsync(HttpRequest request)
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
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax();
        }
    }

    public static ScimException TooLarge() => new(413, null, $"The request body exceeds {MaxBytes} bytes.");
}
