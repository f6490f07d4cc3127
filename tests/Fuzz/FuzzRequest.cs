using System.Net.Http.Headers;
using System.Text;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// One generated request. Most go through a real <see cref="HttpClient"/>; a <see cref="Raw"/> request is the
/// exact bytes a TcpClient writes, for what HttpClient refuses to send (NUL and raw bytes above 0x7F in the
/// request line or a header, oversize lines). <see cref="EdgeStatus"/> is set when the request breaks HTTP/1.1
/// itself or Kestrel's limits, so that Kestrel must refuse it before the product runs, with that bare status.
/// </summary>
public sealed record FuzzRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool Chunked = false)
{
    public byte[]? Raw { get; init; }

    /// <summary>
    /// A request for HttpClient. Kestrel decodes the path and refuses a NUL in it (<c>%00</c>) itself, like a raw one.
    /// </summary>
    public static FuzzRequest Http(string method, string target, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, bool chunked = false) =>
        new(method, target, headers, body, chunked)
        {
            EdgeStatus = target.Split('?', 2)[0].Contains("%00", StringComparison.Ordinal) ? 400 : null,
        };

    public int? EdgeStatus { get; init; }

    /// <summary>The path of the target as the server decodes it: it decides which API's error body is due.</summary>
    public string DecodedPath
    {
        get
        {
            var target = Raw is null ? Target : Encoding.Latin1.GetString(Raw).Split(' ', 3) is [_, var raw, _] ? raw : "/";
            var path = target.Split('?', 2)[0];
            return Uri.UnescapeDataString(path.Replace("%2F", "%252F", StringComparison.OrdinalIgnoreCase));
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        if (Raw is not null)
            return text.Append("raw bytes (").Append(Raw.Length).Append("): ").Append(Shown(Raw, 2000))
                .Append(EdgeStatus is { } edge ? $"\nexpected from Kestrel itself: {edge}" : "").ToString();
        text.Append(Method).Append(' ').Append(Shown(Encoding.UTF8.GetBytes(Target), 600)).Append('\n');
        foreach (var (name, value) in Headers)
            text.Append(name).Append(": ").Append(Shown(Encoding.UTF8.GetBytes(value), 300)).Append('\n');
        if (Chunked)
            text.Append("(body sent chunked)\n");
        return text.Append('\n').Append(Shown(Body, 2000)).Append(Body.Length > 2000 ? $" … ({Body.Length} bytes)" : "").ToString();
    }

    /// <summary>Bytes as text, with anything unprintable or outside ASCII shown as \xNN.</summary>
    private static string Shown(byte[] bytes, int limit)
    {
        var text = new StringBuilder();
        foreach (var b in bytes.Take(limit))
            text.Append(b is >= 0x20 and < 0x7f or (byte)'\n' ? ((char)b).ToString() : $"\\x{b:x2}");
        return text.ToString();
    }

    public async Task<HttpAnswer> SendAsync(HttpClient client)
    {
        if (Raw is not null)
            return await RawHttp.SendAsync(client.BaseAddress!, Raw);
        using var request = new HttpRequestMessage(new HttpMethod(Method), Target);
        if (Body.Length > 0 || Chunked || Headers.Any(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            request.Content = Chunked ? new ChunkedContent(Body) : new ByteArrayContent(Body);
        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && !(request.Content?.Headers.TryAddWithoutValidation(name, value) ?? false))
                throw new InvalidOperationException($"The generator made a header HttpClient cannot send: {name}");
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpAnswer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A body with no Content-Length: Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
