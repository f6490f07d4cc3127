using System.Text;
using CsCheck;
using IdentityDirectory.Gateway;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// Requests written byte by byte on a TcpClient, each with one anomaly HttpClient would not send: NUL, controls
/// and raw bytes above 0x7F in the request target or a header, a header name that is not a token, a missing
/// Host, a malformed Content-Length, and request lines and headers past the product's and Kestrel's limits.
/// Each says what must answer it: the product (a full error body), or Kestrel before the product runs (a bare
/// status), per the limits in docs/decisions.md.
/// </summary>
public sealed class RawRequests(FuzzTargets targets)
{
    private const int KestrelLineLimit = 8 * RequestEdge.MaxTargetBytes;
    private const int KestrelHeaderLimit = 2 * RequestEdge.MaxHeaderBytes;
    private const int KestrelHeaderLines = 2 * RequestEdge.MaxHeaderLines;

    public Gen<FuzzRequest> All =>
        from scim in Gen.Bool
        from anomaly in Anomaly
        select anomaly(scim ? Scim() : Admin());

    private Request Scim() => new("GET", $"{targets.ScimBase}/Users", "?filter=userName%20eq%20%22x%22", [("Authorization", "Bearer " + targets.ScimToken)]);

    private Request Admin() => new("GET", $"/admin/tenants/{targets.ManualTenant}", "?count=1", [("Authorization", "Bearer " + targets.OperatorKey)]);

    private static Gen<Func<Request, FuzzRequest>> Anomaly => FuzzGen.Weighted(
        (3, from stray in Gen.OneOf("\u0001", "\u001f", "\u007f") select Edit(r => r with { Path = r.Path + "/a" + stray + "b" }, edge: null)),
        (1, Gen.Const(Edit(r => r with { RawPath = "/a b"u8.ToArray() }, edge: 400))),
        (6, from stray in Gen.OneOf<byte[]>([0x00], [0xc3, 0xa9], [0xff], [0xed, 0xa0, 0x80])
            from inQuery in Gen.Bool
            select Edit(r => inQuery ? r with { RawQuery = [.. r.RawQuery, .. "&x="u8, .. stray] } : r with { RawPath = [.. "/a"u8, .. stray] }, edge: 400)),
        (1, Gen.Const(Edit(r => r with { RawHeader = ("X-Fuzz", [.. "a"u8, 0x00, .. "b"u8]) }, edge: 400))),
        (2, from value in Gen.OneOf<byte[]>([0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0x0b], [0x7f])
            select Edit(r => r with { RawHeader = ("X-Fuzz", value) }, edge: null)),
        (1, Gen.Const(Edit(r => r with { RawHeader = ("Authorization", [.. "Bearer "u8, 0xc3, 0xa9]) }, edge: null))),
        (2, from name in Gen.OneOf("X Fuzz", "X-F\u00e9", "", "X\u0000") select Edit(r => r with { Headers = [.. r.Headers, (name, "v")] }, edge: 400)),
        (1, Gen.Const(Edit(r => r with { NoHost = true }, edge: 400))),
        (2, from length in Gen.OneOf("abc", "-1", "1, 2", "99999999999999999999") select Edit(r => r with { Headers = [.. r.Headers, ("Content-Length", length)] }, edge: 400)),
        (3, from length in Gen.Int[RequestEdge.MaxTargetBytes + 1, KestrelLineLimit - 200] select Edit(r => r with { Query = "?x=" + new string('q', length) }, edge: null)),
        (1, from length in Gen.Int[KestrelLineLimit + 1, KestrelLineLimit + 5000] select Edit(r => r with { Query = "?x=" + new string('q', length) }, edge: 414)),
        (2, from length in Gen.Int[RequestEdge.MaxHeaderBytes + 1, KestrelHeaderLimit - 500] select Edit(r => r with { Headers = [.. r.Headers, ("X-Fuzz", new string('h', length))] }, edge: null)),
        (1, from length in Gen.Int[KestrelHeaderLimit + 1, KestrelHeaderLimit + 5000] select Edit(r => r with { Headers = [.. r.Headers, ("X-Fuzz", new string('h', length))] }, edge: 431)),
        (2, from count in Gen.Int[RequestEdge.MaxHeaderLines + 1, KestrelHeaderLines - 5] select Edit(r => r with { Headers = [.. r.Headers, .. Many(count)] }, edge: null)),
        (1, from count in Gen.Int[KestrelHeaderLines + 1, KestrelHeaderLines + 50] select Edit(r => r with { Headers = [.. r.Headers, .. Many(count)] }, edge: 431)),
        (1, Gen.Const(Edit(r => r with { Version = "HTTP/1.0", NoHost = true }, edge: null))));

    private static (string, string)[] Many(int count) => Enumerable.Range(0, count).Select(i => ($"X-Fuzz-{i}", "v")).ToArray();

    private static Func<Request, FuzzRequest> Edit(Func<Request, Request> change, int? edge) => request => change(request).ToFuzzRequest(edge);

    /// <summary>A GET as bytes: path and query as text plus raw bytes appended to either, headers as text plus one raw.</summary>
    private sealed record Request(string Method, string Path, string Query, (string Name, string Value)[] Headers)
    {
        public byte[] RawPath { get; init; } = [];
        public byte[] RawQuery { get; init; } = [];
        public (string Name, byte[] Value)? RawHeader { get; init; }
        public bool NoHost { get; init; }
        public string Version { get; init; } = "HTTP/1.1";

        public FuzzRequest ToFuzzRequest(int? edge)
        {
            var bytes = new List<byte>();
            bytes.AddRange(Encoding.ASCII.GetBytes($"{Method} {Path}"));
            bytes.AddRange(RawPath);
            bytes.AddRange(Encoding.ASCII.GetBytes(Query));
            bytes.AddRange(RawQuery);
            bytes.AddRange(Encoding.ASCII.GetBytes($" {Version}\r\n"));
            if (!NoHost)
                bytes.AddRange("Host: 127.0.0.1\r\n"u8);
            foreach (var (name, value) in Headers)
                bytes.AddRange(Encoding.UTF8.GetBytes($"{name}: {value}\r\n"));
            if (RawHeader is var (rawName, rawValue))
                bytes.AddRange([.. Encoding.ASCII.GetBytes(rawName + ": "), .. rawValue, .. "\r\n"u8]);
            bytes.AddRange("Connection: close\r\n\r\n"u8);
            return new FuzzRequest(Method, Path + Query, [], []) { Raw = [.. bytes], EdgeStatus = edge };
        }
    }
}
