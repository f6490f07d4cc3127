using System.Net;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using OpenQA.Selenium;

namespace IdentityDirectory.Tests.Console;

/// <summary>Users, groups, settings and activity of a tenant in the browser: the grains decide, the page shows their answer.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleDirectoryTests(ConsoleFixture fixture)
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public async Task ManualProvisioningWhileProvisioningIsOffAndItsRefusalsShown()
    {
        // Rule O-4: with automatic provisioning off, the operator creates users, groups and memberships by hand.
        var tenantId = (await fixture.Admin.CreateTenantAsync("IdentityCenter"))["tenantId"]!.GetValue<string>();
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        Browser.Open($"/console/tenants/{tenantId}/users");
        Assert.False(Browser.Has("#read-only"));
        var userName = $"ana.{Guid.NewGuid():N}"[..16] + "@example.com";
        FillUser(userName, "Ana Souza");
        Browser.Press("Create user");
        Assert.Equal($"User {userName} created.", Browser.Find(".notice").Text);
        Assert.Contains("Ana Souza", Browser.BodyText);

        // Editing keeps what the form does not show; the grain validates the replacement (P-2).
        Browser.Fill("user-displayName", "Ana Souza Lima");
        Browser.Press("Save changes");
        Assert.Equal("User saved.", Browser.Find(".notice").Text);
        Assert.Contains("Ana Souza Lima", Browser.BodyText);
        Browser.Fill("user-familyName", new string('x', 1100)); // R-USR-9: 1024 characters at most
        Browser.Press("Save changes");
        Assert.Contains("Refused:", Browser.Find(".refusal").Text);
        Browser.Fill("user-displayName", "Ana Souza");
        Browser.Fill("user-familyName", "Souza");
        Browser.Press("Save changes");
        Assert.Equal("User saved.", Browser.Find(".notice").Text);

        // Rule P-1/R-USR-8: the grain refuses a taken userName, and the page says why.
        Browser.Open($"/console/tenants/{tenantId}/users");
        FillUser(userName.ToUpperInvariant(), "Ana Twin");
        Browser.Press("Create user");
        Assert.Contains("Refused:", Browser.Find(".refusal").Text);
        Assert.Equal(userName.ToUpperInvariant(), Browser.Value("user-userName"));

        // The operator's search: display name, in any case.
        Browser.Open($"/console/tenants/{tenantId}/users?by=displayName&q=ana%20souza");
        Assert.Contains(userName, Browser.BodyText);
        Browser.Open($"/console/tenants/{tenantId}/users?by=displayName&q=Ana%20Twin");
        Assert.Contains("No users.", Browser.BodyText);

        Browser.Open($"/console/tenants/{tenantId}/groups");
        Browser.Fill("group-displayName", "Finance");
        Browser.Press("Create group");
        Assert.Equal("Group Finance", Browser.Find("h2").Text);
        Browser.Fill("member", userName);
        Browser.Press("Add member");
        Assert.Contains(userName, Browser.Find("table").Text);
        Browser.Fill("member", "nobody@example.com");
        Browser.Press("Add member");
        Assert.Contains("No user has the userName nobody@example.com.", Browser.Find(".refusal").Text);
        Browser.Navigate(() => Browser.Find("button[aria-label^='Remove']").Click());
        Assert.Contains("No members", Browser.BodyText);

        // Rule O-3: the settings' validation messages are the grain's.
        Browser.Open($"/console/tenants/{tenantId}/settings");
        Browser.Fill("session", "5");
        Browser.Press("Save settings");
        Assert.Contains("The session duration must be from 15 minutes to 90 days.", Browser.Find(".refusal").Text);
        Browser.Fill("session", "ten");
        Browser.Press("Save settings");
        Assert.Contains("is not a number", Browser.Find(".refusal").Text);
        Browser.Fill("session", "600");
        Browser.Press("Save settings");
        Assert.Equal("Settings saved.", Browser.Find(".notice").Text);
        var settings = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("10:00:00", settings["sessionDuration"]!.GetValue<string>());

        // Rule O-5: the activity shows the audit records newest first.
        Browser.Open($"/console/tenants/{tenantId}/activity");
        var actions = Browser.Driver.FindElements(By.CssSelector("section[aria-labelledby=audit-heading] tbody tr td:nth-child(3)")).Select(c => c.Text).ToList();
        Assert.Equal("UpdateSettings", actions[0]);
        Assert.Equal("CreateTenant", actions[^1]);
        var actors = Browser.Driver.FindElements(By.CssSelector("section[aria-labelledby=audit-heading] tbody tr td:nth-child(2)")).Select(c => c.Text).ToList();
        Assert.All(actors, actor => Assert.Equal("operator", actor)); // Rule O-5: who did it
    }

    [Fact]
    public async Task IdentitySourceChangeThatDeletesTheDirectorySaysSoAndChangesThePortal()
    {
        // Rule I-1, I-10: IdentityCenter → ActiveDirectory deletes users, groups and assignments and moves the portal.
        var tenant = await fixture.Admin.CreateTenantAsync("IdentityCenter");
        var tenantId = tenant["tenantId"]!.GetValue<string>();
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        Browser.Open($"/console/tenants/{tenantId}");
        var before = Browser.Text("store-id");
        Browser.Choose("source-ActiveDirectory");
        Browser.Press("Review change");
        Assert.Contains("All users, groups, group memberships and assignments of this tenant are deleted.", Browser.BodyText);
        Assert.Contains("The identity store id and the access portal URL change", Browser.BodyText);
        Browser.Fill("accept", "ACCEPT");
        Browser.Press("Change identity source");
        Assert.NotEqual(before, Browser.Text("store-id"));
        Assert.Contains("Active Directory", Browser.BodyText);

        // Rule T-3 / I-9: enabling provisioning is refused outside ExternalIdp, with the grain's reason.
        Browser.Follow("Automatic provisioning");
        Browser.Press("Enable automatic provisioning");
        Assert.Contains("Automatic provisioning requires the ExternalIdp identity source.", Browser.Find(".refusal").Text);
    }

    [Fact]
    public async Task DeletingATenantNeedsItsNameTyped()
    {
        // Rule O-2
        var name = "Doomed " + Guid.NewGuid().ToString("N")[..8];
        var tenantId = (await fixture.Admin.CreateTenantAsync("IdentityCenter", name))["tenantId"]!.GetValue<string>();
        Browser.SignOutEverywhere();
        Browser.SignIn(fixture.OperatorKey);
        Browser.Open($"/console/tenants/{tenantId}/delete");
        Browser.Fill("confirm", name.ToUpperInvariant());
        Browser.Press("Delete tenant");
        Assert.Contains($"Type {name} to confirm.", Browser.BodyText);
        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.OK);
        Browser.Fill("confirm", name);
        Browser.Press("Delete tenant");
        Assert.Equal($"Tenant {name} deleted.", Browser.Find(".notice").Text);
        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Browser.Open($"/console/tenants/{tenantId}/users");
        Assert.Equal("Tenant not found", Browser.Heading);
    }

    private void FillUser(string userName, string displayName)
    {
        Browser.Fill("user-userName", userName);
        Browser.Fill("user-displayName", displayName);
        Browser.Fill("user-givenName", displayName.Split(' ')[0]);
        Browser.Fill("user-familyName", displayName.Split(' ')[1]);
        Browser.Fill("user-email", userName);
    }
}
