using System.Net;
using IdentityDirectory.Gateway.Console;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Tests.Console;

/// <summary>Who may open the console, for how long, and that a form from anywhere else is refused (O-1).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSessionTests(ConsoleFixture fixture)
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public void WrongOperatorKeyOpensNoSession()
    {
        // Rule O-1: only the operator key opens the console.
        Browser.SignOutEverywhere();
        var wrong = fixture.OperatorKey[..^2] + (fixture.OperatorKey.EndsWith("AA") ? "BB" : "AA");
        Browser.SignIn(wrong);
        Assert.StartsWith("/console/sign-in", Browser.PathAndQuery);
        Assert.Equal("The operator key is wrong.", Browser.Text("key-error"));
        Assert.DoesNotContain(Browser.Driver.Manage().Cookies.AllCookies, c => c.Name == "idir-console");
        Browser.Open("/console/tenants");
        Assert.StartsWith("/console/sign-in", Browser.PathAndQuery);
    }

    [Fact]
    public void SessionCookieIsHttpOnlyStrictAndHoldsNoKey()
    {
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        Assert.Equal("/console/tenants", Browser.PathAndQuery);
        var session = Assert.Single(Browser.Driver.Manage().Cookies.AllCookies, c => c.Name == "idir-console");
        Assert.True(session.IsHttpOnly);
        Assert.Equal("Strict", session.SameSite);
        Assert.Equal("/console", session.Path);
        Assert.Null(session.Expiry); // a browser-session cookie
        Assert.False(session.Secure); // plain HTTP here; over TLS the same policy sets Secure:
        var options = fixture.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(ConsoleSession.Scheme);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.All(Browser.Driver.Manage().Cookies.AllCookies, c => Assert.DoesNotContain(fixture.OperatorKey, c.Value));
        Assert.DoesNotContain(fixture.OperatorKey, Browser.Url);
        Assert.Empty((string)Browser.Script("return window.localStorage.length + window.sessionStorage.length === 0 ? '' : 'stored'")!);
    }

    [Fact]
    public async Task FormWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        var name = "Forged " + Guid.NewGuid().ToString("N")[..8];

        // In the browser: the console's own form, its token taken out.
        Browser.Open("/console/tenants/new");
        Browser.Fill("name", name);
        Browser.Script("document.querySelectorAll('input[name=__RequestVerificationToken]').forEach(token => token.remove())");
        Browser.Press("Create tenant");
        Assert.Equal("Form refused", Browser.Heading);

        // By hand, as another site's page would send it with the browser's cookies.
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = Browser.Cookies(), AllowAutoRedirect = false }) { BaseAddress = fixture.BaseAddress };
        var response = await client.PostAsync("/console/tenants/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        response = await client.PostAsync("/console/tenants/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name, ["__RequestVerificationToken"] = "CfDJ8" + new string('A', 100),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var tenants = await (await fixture.Admin.GetAsync($"/admin/tenants?search={Uri.EscapeDataString(name)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(tenants["tenants"]!.AsArray());
    }

    [Fact]
    public void SessionEndsAfterThirtyIdleMinutes()
    {
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        fixture.Time.Advance(ConsoleSession.IdleTimeout - TimeSpan.FromMinutes(1));
        Browser.Open("/console/tenants");
        Assert.Equal("/console/tenants", Browser.PathAndQuery);

        fixture.Time.Advance(ConsoleSession.IdleTimeout + TimeSpan.FromMinutes(1));
        Browser.Open("/console/tenants");
        Assert.StartsWith("/console/sign-in", Browser.PathAndQuery);
    }

    [Fact]
    public void SessionEndsEightHoursAfterSignInHoweverBusy()
    {
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        var step = TimeSpan.FromMinutes(20);
        var elapsed = TimeSpan.Zero;
        while (elapsed + step < ConsoleSession.MaxLifetime)
        {
            fixture.Time.Advance(step);
            elapsed += step;
            Browser.Open("/console/tenants");
            Assert.True(Browser.PathAndQuery == "/console/tenants", $"refused {elapsed} after sign-in");
        }
        fixture.Time.Advance(ConsoleSession.MaxLifetime - elapsed);
        Browser.Open("/console/tenants");
        Assert.StartsWith("/console/sign-in", Browser.PathAndQuery);
    }
}

/// <summary>A rotated operator key ends every console session at once (O-1); on a product of its own, since the key changes.</summary>
public sealed class ConsoleKeyRotationTests(ConsoleKeyRotationTests.Product fixture) : IClassFixture<ConsoleKeyRotationTests.Product>
{
    public sealed class Product : IAsyncLifetime
    {
        public ConsoleFixture Console { get; } = new();

        public Task InitializeAsync() => Console.InitializeAsync();

        public Task DisposeAsync() => Console.DisposeAsync();
    }

    [Fact]
    public async Task RotatingTheOperatorKeyEndsOpenSessions()
    {
        var console = fixture.Console;
        console.Browser.SignIn(console.OperatorKey);
        Assert.Equal("/console/tenants", console.Browser.PathAndQuery);

        var rotated = await (await console.Admin.PostAsync("/admin/operator-key", null)).ExpectAsync(HttpStatusCode.OK);
        console.Browser.Open("/console/tenants");
        Assert.StartsWith("/console/sign-in", console.Browser.PathAndQuery);

        console.Browser.SignIn(console.OperatorKey);
        Assert.StartsWith("/console/sign-in", console.Browser.PathAndQuery);
        console.Browser.SignIn(rotated["operatorKey"]!.GetValue<string>());
        Assert.Equal("/console/tenants", console.Browser.PathAndQuery);
    }
}
