using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Gateway;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// The edge of the server (docs/decisions.md, "The request edge"): requests over the product's limits on the request
/// target and the headers are answered by the product with the error body of their API; what breaks HTTP/1.1 or
/// Kestrel's own, higher limits Kestrel refuses before any product code runs, with its bare status.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RequestEdgeTests(GatewayFixture fixture)
{
    [Fact]
    public async Task ARequestTargetOverTheLimitIs414WithTheErrorBodyOfItsApi()
    {
        // Rule R-ERR-1, R-GEN-5, DESIGN §4: a long filter or id gets a SCIM error body, an admin path a problem.
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();
        var filter = $"userName eq \"{new string('a', RequestEdge.MaxTargetBytes)}\"";

        await (await tenant.Client.GetAsync("Users?filter=" + Uri.EscapeDataString(filter))).ExpectErrorAsync(HttpStatusCode.RequestUriTooLong);
        await (await tenant.Client.GetAsync("Users/" + new string('i', 10 * 1024))).ExpectErrorAsync(HttpStatusCode.RequestUriTooLong);
        await (await admin.GetAsync($"tenants/{tenant.TenantId}/audit?after=" + new string('1', 9000))).ExpectProblemAsync(HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task HeadersOverTheLimitAre431WithTheErrorBodyOfItsApi()
    {
        // Rule R-ERR-1, DESIGN §4: over 32 KiB of headers, or over 100 header lines.
        var tenant = await fixture.CreateTenantAsync();
        using var admin = await fixture.CreateAdminClientAsync();

        using var large = new HttpRequestMessage(HttpMethod.Get, "Users");
        large.Headers.Add("X-Large", new string('h', RequestEdge.MaxHeaderBytes + 1));
        await (await tenant.Client.SendAsync(large)).ExpectErrorAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
        using var many = new HttpRequestMessage(HttpMethod.Get, "Users");
        for (var i = 0; i < RequestEdge.MaxHeaderLines; i++)
            many.Headers.Add($"X-Many-{i}", "v");
        await (await tenant.Client.SendAsync(many)).ExpectErrorAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
        using var adminLarge = new HttpRequestMessage(HttpMethod.Get, "tenants");
        adminLarge.Headers.Add("X-Large", new string('h', RequestEdge.MaxHeaderBytes + 1));
        await (await admin.SendAsync(adminLarge)).ExpectProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task RawUtf8InAHeaderValueReachesTheProduct()
    {
        // Rule R-GEN-2, R-ERR-1: Kestrel reads header values as UTF-8, so a pasted name or a mangled token is the product's to answer.
        var tenant = await fixture.CreateTenantAsync();
        var users = Encoding.ASCII.GetBytes($"/{tenant.TenantId}/scim/v2/Users");

        var badToken = await RawHttp.SendAsync(fixture.BaseAddress, RawHttp.Get(users, [.. "Authorization: Bearer "u8, 0xc3, 0xa9]));
        Assert.Equal(401, badToken.Status);
        Assert.Equal("401", JsonNode.Parse(badToken.Body)!["status"]!.GetValue<string>());
        var named = await RawHttp.SendAsync(fixture.BaseAddress,
            RawHttp.Get(users, Encoding.ASCII.GetBytes("Authorization: Bearer " + tenant.Token), [.. "X-Name: Ren"u8, 0xc3, 0xa9]));
        Assert.Equal(200, named.Status);
    }

    [Fact]
    public async Task WhatKestrelRefusesItselfIsItsBareStatus()
    {
        // docs/decisions.md, "The request edge": NUL or raw bytes above 0x7F in the request target, NUL in a header, and a request
        // line or headers over Kestrel's limits are refused before the product runs: a bare 400, 414 or 431 and a closed
        // connection. ASP.NET Core has no hook to give these a body; the product's own limits sit below Kestrel's.
        var tenant = await fixture.CreateTenantAsync();
        var auth = Encoding.ASCII.GetBytes("Authorization: Bearer " + tenant.Token);
        var users = Encoding.ASCII.GetBytes($"/{tenant.TenantId}/scim/v2/Users");
        var cases = new (string Name, byte[] Request, int Status)[]
        {
            ("NUL in the path", RawHttp.Get([.. users, .. "/a"u8, 0x00], auth), 400),
            ("NUL encoded in the path", RawHttp.Get([.. users, .. "/a%00"u8], auth), 400),
            ("raw UTF-8 in the path", RawHttp.Get([.. users, .. "/"u8, 0xc3, 0xa9], auth), 400),
            ("raw byte 0xFF in the query", RawHttp.Get([.. users, .. "?filter="u8, 0xff], auth), 400),
            ("NUL in a header", RawHttp.Get(users, auth, [.. "X-Name: a"u8, 0x00]), 400),
            ("request line over Kestrel's limit", RawHttp.Get([.. users, .. "?x="u8, .. Encoding.ASCII.GetBytes(new string('q', 8 * RequestEdge.MaxTargetBytes))], auth), 414),
            ("headers over Kestrel's limit", RawHttp.Get(users, auth, Encoding.ASCII.GetBytes("X-Large: " + new string('h', 2 * RequestEdge.MaxHeaderBytes))), 431),
        };
        foreach (var (name, request, status) in cases)
        {
            var answer = await RawHttp.SendAsync(fixture.BaseAddress, request);
            Assert.True(answer.Status == status && answer.Body.Length == 0 && answer.Header("Connection") == "close",
                $"{name}: expected Kestrel's bare {status}, got {answer}");
        }
    }
}
