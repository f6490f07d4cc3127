using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using OpenQA.Selenium;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Console;

/// <summary>The console is usable without a mouse, labels every control, and keeps its layout from a phone to 200 % zoom.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleLayoutTests(ConsoleFixture fixture)
{
    private ConsoleBrowser Browser => fixture.Browser;

    /// <summary>1280×800; 640 CSS pixels wide, which is 1280×800 at 200 % zoom; a phone.</summary>
    private static readonly (int Width, int Height)[] Screens = [(1280, 800), (640, 400), (360, 740)];

    [Fact]
    public async Task EveryPageLabelsItsControlsAndNeverScrollsSideways()
    {
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimClient(endpoint, token);
        var userId = await scim.CreateUserAsync();
        var groupId = await scim.CreateGroupAsync();
        await fixture.Admin.CreateTokenAsync(tenantId);
        var manual = (await fixture.Admin.CreateTenantAsync("IdentityCenter"))["tenantId"]!.GetValue<string>();
        string[] pages =
        [
            "/console/tenants", "/console/tenants/new", $"/console/tenants/{tenantId}", $"/console/tenants/{tenantId}/provisioning",
            $"/console/tenants/{tenantId}/users", $"/console/tenants/{tenantId}/users/{userId}", $"/console/tenants/{tenantId}/groups",
            $"/console/tenants/{tenantId}/groups/{groupId}", $"/console/tenants/{tenantId}/settings", $"/console/tenants/{tenantId}/activity",
            $"/console/tenants/{tenantId}/delete", $"/console/tenants/{manual}/users", $"/console/tenants/{manual}/groups",
        ];
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        try
        {
            foreach (var (width, height) in Screens)
            {
                Browser.Resize(width, height);
                foreach (var page in pages)
                {
                    Browser.Open(page);
                    Assert.False(Browser.OverflowsSideways(), $"{page} scrolls sideways at {width} px, past the edge:\n{Browser.WiderThanWindow()}");
                    var unlabelled = (string)Browser.Script(
                        """
                        const controls = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')];
                        return controls.filter(c => ['INPUT', 'SELECT', 'TEXTAREA'].includes(c.tagName)
                                ? c.labels.length === 0 && !c.getAttribute('aria-label')
                                : !c.textContent.trim() && !c.getAttribute('aria-label'))
                            .map(c => c.outerHTML).join('\n');
                        """)!;
                    Assert.True(unlabelled.Length == 0, $"{page} has controls without a label:\n{unlabelled}");
                    Assert.Single(Browser.Driver.FindElements(By.TagName("h1")));
                    Assert.Equal("en", Browser.Find("html").GetAttribute("lang"));
                }
            }
        }
        finally
        {
            Browser.Resize(1280, 800);
        }
    }

    [Fact]
    public void OperatorSignsInAndCreatesATenantWithTheKeyboardAlone()
    {
        Browser.SignOutEverywhere();
        Browser.Open("/console/sign-in");
        Assert.Equal("key", Browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        Browser.Navigate(() => Browser.Driver.SwitchTo().ActiveElement().SendKeys(fixture.OperatorKey + Keys.Enter));
        Assert.Equal("/console/tenants", Browser.PathAndQuery);

        TabTo(e => e.Text == "Create tenant");
        Browser.Navigate(() => Browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter));
        var name = "Keyboard " + Guid.NewGuid().ToString("N")[..8];
        TabTo(e => e.GetAttribute("id") == "name");
        Browser.Driver.SwitchTo().ActiveElement().SendKeys(name);
        TabTo(e => e.GetAttribute("id") == "source-IdentityCenter");
        Browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowDown); // radio group: the next source
        Assert.True(Browser.Find("#source-ActiveDirectory").Selected);
        TabTo(e => e.Text == "Create tenant" && e.TagName == "button");
        Browser.Navigate(() => Browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter));
        Assert.Equal(name, Browser.Heading);
        Assert.Contains("Active Directory", Browser.BodyText);
    }

    /// <summary>Presses Tab until the focused element is the one wanted; fails when the page has no such stop.</summary>
    private void TabTo(Func<IWebElement, bool> wanted)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            var focused = Browser.Driver.SwitchTo().ActiveElement();
            if (wanted(focused))
                return;
            focused.SendKeys(Keys.Tab);
        }
        Assert.Fail("The element was not reached with the Tab key.");
    }
}
