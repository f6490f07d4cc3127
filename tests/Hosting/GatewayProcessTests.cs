using System.Net;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// Gateways apart from the silo (DESIGN §2): two gateway processes that are plain Orleans clients of one silo
/// process. What one gateway writes the other reads, and a revocation through one is refused by the other at once.
/// </summary>
public sealed class GatewayProcessTests
{
    [Fact]
    public async Task TwoClientGatewaysServeOneDirectoryAndRefuseARevokedTokenAtOnce_T6()
    {
        var gatewayPort = FreePorts.Next().ToString();
        await using var silo = ProductProcess.Start(TestDirectories.New(), ownsDirectory: true, "--Role", "silo", "--Orleans:GatewayPort", gatewayPort);
        await silo.WaitUntilReadyAsync();
        string[] clientOf = ["--Storage:Provider", "Sqlite", "--Orleans:GatewayPort", gatewayPort, "--Orleans:ClusterId", "embedded"];
        await using var first = ProductProcess.StartGateway(clientOf);
        var operatorKey = await first.ReadLineAfterAsync("Operator key: ");
        var endpoint = await first.ReadLineAfterAsync("SCIM endpoint: ");
        var token = await first.ReadLineAfterAsync("SCIM token: ");
        await using var second = ProductProcess.StartGateway([.. clientOf, "--Bootstrap:Enabled", "false"]);
        await second.WaitUntilReadyAsync();

        var tenantPath = new Uri(endpoint).AbsolutePath.TrimStart('/') + "/";
        using var scimOnFirst = ScimClient(new Uri(first.BaseAddress, tenantPath).ToString(), token);
        using var scimOnSecond = ScimClient(new Uri(second.BaseAddress, tenantPath).ToString(), token);
        var userId = await scimOnFirst.CreateUserAsync();
        await (await scimOnSecond.GetAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.OK);

        // Rule T-6: the second gateway has the first token in its cache; deleting it through the first gateway
        // refuses it on the second when the deletion returns, while the new token works on both.
        using var admin = BearerClient(new Uri(first.BaseAddress, "admin/").ToString(), operatorKey);
        var tenantId = tenantPath.Split('/')[0];
        var newToken = await admin.CreateTokenAsync(tenantId);
        await (await scimOnSecond.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
        await admin.DeleteTokenAsync(tenantId, token);
        await (await scimOnSecond.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        using var newOnSecond = ScimClient(new Uri(second.BaseAddress, tenantPath).ToString(), newToken);
        await (await newOnSecond.GetAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.OK);

        // The console's keys are the cluster's: a session opened on one gateway is good on the other.
        var cookies = new CookieContainer();
        using var consoleOnFirst = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = first.BaseAddress };
        var signInPage = await (await consoleOnFirst.GetAsync("console/sign-in")).Content.ReadAsStringAsync();
        var antiforgery = System.Text.RegularExpressions.Regex.Match(signInPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await consoleOnFirst.PostAsync("console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = operatorKey, ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var consoleOnSecond = new HttpClient(new HttpClientHandler { CookieContainer = CookiesFor(cookies, first.BaseAddress, second.BaseAddress), AllowAutoRedirect = false })
        {
            BaseAddress = second.BaseAddress,
        };
        var tenants = await consoleOnSecond.GetAsync("console/tenants");
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Contains(tenantId, await tenants.Content.ReadAsStringAsync());

        // Rule O-2: a tenant deleted through one gateway is 401 on the other at once.
        await (await admin.DeleteAsync($"tenants/{tenantId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await newOnSecond.GetAsync($"Users/{userId}")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>The cookies a browser holds for <paramref name="from"/>, as it would send them to <paramref name="to"/> on the same host.</summary>
    private static CookieContainer CookiesFor(CookieContainer cookies, Uri from, Uri to)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in cookies.GetAllCookies())
            copy.Add(to, new Cookie(cookie.Name, cookie.Value, cookie.Path));
        return copy;
    }
}
