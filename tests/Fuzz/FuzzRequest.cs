using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

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

    public async Task<FuzzResponse> SendAsync(HttpClient client)
    {
        if (Raw is not null)
            return await SendRawAsync(client.BaseAddress!);
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
        return new FuzzResponse((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<FuzzResponse> SendRawAsync(Uri server)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Raw);
        using var received = new MemoryStream();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await stream.CopyToAsync(received, limit.Token); // every raw request says Connection: close
        return FuzzResponse.Parse(received.ToArray());
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

/// <summary>An answer: status, headers by name (case-insensitive), body bytes.</summary>
public sealed record FuzzResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString()
    {
        var body = Encoding.UTF8.GetString(Body);
        return $"{Status} {string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}\n{(body.Length > 1500 ? body[..1500] + "…" : body)}";
    }

    /// <summary>An HTTP/1.1 response read to the end of its connection, its body de-chunked.</summary>
    public static FuzzResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0 || !text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            throw new InvalidOperationException($"Not an HTTP/1.1 response ({bytes.Length} bytes): {text[..Math.Min(text.Length, 200)]}");
        var lines = text[..headEnd].Split("\r\n");
        var headers = lines.Skip(1).Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.Select(parts => parts[1].Trim())), StringComparer.OrdinalIgnoreCase);
        var body = bytes.AsSpan(headEnd + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new FuzzResponse(int.Parse(lines[0].Split(' ')[1]), headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8) + position;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
                return body.ToArray();
            body.Write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
