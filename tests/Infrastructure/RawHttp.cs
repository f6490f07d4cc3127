using System.Net.Sockets;
using System.Text;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>HTTP/1.1 written byte for byte on a TcpClient: for what HttpClient refuses to send (NUL, raw bytes above 0x7F, oversize lines).</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/>, which must ask for <c>Connection: close</c>, and reads the answer to the connection's end.</summary>
    public static async Task<HttpAnswer> SendAsync(Uri server, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await stream.CopyToAsync(received, limit.Token);
        return HttpAnswer.Parse(received.ToArray());
    }

    /// <summary>A GET of <paramref name="target"/> (raw bytes allowed) with the given header lines, asking for Connection: close.</summary>
    public static byte[] Get(byte[] target, params byte[][] headerLines) =>
        [.. "GET "u8, .. target, .. " HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8, .. headerLines.SelectMany(line => (byte[])[.. line, .. "\r\n"u8]), .. "Connection: close\r\n\r\n"u8];
}

/// <summary>An HTTP answer: status, headers by name (case-insensitive), body bytes.</summary>
public sealed record HttpAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString()
    {
        var body = Encoding.UTF8.GetString(Body);
        return $"{Status} {string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}\n{(body.Length > 1500 ? body[..1500] + "…" : body)}";
    }

    /// <summary>An HTTP/1.1 response read to the end of its connection, its body de-chunked.</summary>
    public static HttpAnswer Parse(byte[] bytes)
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
        return new HttpAnswer(int.Parse(lines[0].Split(' ')[1]), headers, body);
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
