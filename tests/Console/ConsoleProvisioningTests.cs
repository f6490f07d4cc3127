using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Console;

/// <summary>The operator's provisioning and token flows, walked through in a real browser against the real product.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleProvisioningTests(ConsoleFixture fixture)
{
    private ConsoleBrowser Browser => fixture.Browser;

    [Fact]
    public async Task OperatorEnablesProvisioningRotatesTokensAndTheReminderGoesOnceTheRotationIsDone()
    {
        Browser.SignIn(fixture.OperatorKey);
        Assert.Equal("/console/tenants", Browser.PathAndQuery);

        // Rule O-2: the tenant is created from the console; I-9: it starts on IdentityCenter with provisioning off.
        var name = "Browser " + Guid.NewGuid().ToString("N")[..8];
        Browser.Follow("Create tenant");
        Browser.Fill("name", name);
        Browser.Press("Create tenant");
        Assert.Equal(name, Browser.Heading);
        var tenantId = Browser.PathAndQuery.Split('/')[^1];
        Assert.Contains("Identity Center directory", Browser.BodyText);

        // Rule I-3: the change to ExternalIdp says what it keeps, and needs ACCEPT.
        Browser.Choose("source-ExternalIdp");
        Browser.Fill("idp", "Entra ID");
        Browser.Press("Review change");
        Assert.Contains("Users, groups, memberships and assignments are kept", Browser.BodyText);
        Browser.Fill("accept", "accept");
        Browser.Press("Change identity source");
        Assert.Contains("Type ACCEPT to confirm.", Browser.BodyText);
        Browser.Fill("accept", "ACCEPT");
        Browser.Press("Change identity source");
        Assert.Contains("The identity source is now External identity provider", Browser.Find(".notice").Text);
        var storeId = Browser.Text("store-id");
        Assert.Matches("^d-[0-9a-f]{10}$", storeId);
        Assert.EndsWith($"/portal/{storeId}/", Browser.Text("portal-url"));

        // Rule T-1: enabling shows the endpoint and the first token once, the token behind "Show token".
        Browser.Follow("Automatic provisioning");
        Browser.Press("Enable automatic provisioning");
        Assert.Contains("This is the only time you can see the SCIM endpoint and the access token", Browser.BodyText);
        var endpoint = Browser.Value("scim-endpoint");
        Assert.Equal(new Uri(fixture.BaseAddress, $"/{tenantId}/scim/v2").ToString(), endpoint);
        Assert.False(Browser.Find("#scim-token").Displayed);
        Browser.Find("details summary").Click();
        Assert.True(Browser.Find("#scim-token").Displayed);
        var first = Browser.Value("scim-token");

        using var firstClient = ScimClient(endpoint, first);
        var ids = new List<string>();
        foreach (var person in new[] { ("ruth.rivera", "Ruth Rivera"), ("omar.haddad", "Omar Haddad"), ("mei.tanaka", "Mei Tanaka") })
        {
            var user = User($"{person.Item1}@example.com", externalId: "entra-" + person.Item1);
            user["displayName"] = person.Item2;
            ids.Add(await firstClient.CreateUserAsync(user)); // 201
        }

        // Rule T-7: disabling is refused while tokens exist, and the grain's reason is shown.
        Browser.Open($"/console/tenants/{tenantId}/provisioning");
        Browser.Follow("Disable automatic provisioning");
        Browser.Fill("confirm", "DISABLE");
        Browser.Press("Disable automatic provisioning");
        Assert.Contains("Delete the SCIM tokens before disabling automatic provisioning.", Browser.Find(".refusal").Text);

        // Rule T-2, T-6: a second token, shown once; the first is deleted after typing DELETE and gets 401 at once.
        Browser.Follow("Automatic provisioning");
        Browser.Press("Generate token");
        Assert.False(Browser.Has("#scim-endpoint"));
        Browser.Find("details summary").Click();
        var second = Browser.Value("scim-token");
        Assert.NotEqual(first, second);
        using var secondClient = ScimClient(endpoint, second);
        await (await secondClient.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        DeleteToken(tenantId, AdminApi.TokenId(first));
        Assert.Contains($"Token {AdminApi.TokenId(first)} deleted", Browser.Find(".notice").Text);
        await (await firstClient.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await secondClient.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(Browser.Has($"a[href$='/tokens/{AdminApi.TokenId(first)}/delete']"));
        Assert.False(Browser.Has("#rotation-banner"));

        // Rule O-4: while provisioning is on, users are listed read-only.
        Browser.Follow("Users");
        Assert.True(Browser.Has("#read-only"));
        Assert.Contains("Ruth Rivera", Browser.BodyText);
        Assert.False(Browser.Has("form button[type=submit].span"));
        Browser.Screenshot("users");

        // Rule T-8, T-9: 89 days before the second token expires, the list and the token tab remind;
        // the session of a year ago is long over, so the operator signs in again.
        var expiresAt = DateTimeOffset.Parse(AdminApi.TokenEntry(await fixture.Admin.ListTokensAsync(tenantId), second)["expiresAt"]!.GetValue<string>());
        fixture.Time.Advance(expiresAt - TimeSpan.FromDays(89) - fixture.Time.GetUtcNow());
        Browser.Open($"/console/tenants/{tenantId}/provisioning");
        Assert.StartsWith("/console/sign-in", Browser.PathAndQuery);
        Browser.SignIn(fixture.OperatorKey);
        Browser.Open($"/console/tenants?search={Uri.EscapeDataString(name)}");
        Assert.Equal("Rotation due", Browser.Find("a.badge").Text);
        Browser.Screenshot("tenants");
        Browser.Follow("Rotation due");
        Assert.True(Browser.Has("#rotation-banner"));
        Assert.Contains($"Token {AdminApi.TokenId(second)} expires on", Browser.Text("rotation-banner"));
        Assert.Contains("in 89 days", Browser.Text("rotation-banner"));
        Browser.Screenshot("provisioning");

        // The rotation: a new token, used by the identity provider, then the old one deleted; the reminder goes.
        Browser.Press("Generate token");
        Assert.True(Browser.Has("#rotation-banner"), "the reminder stays until the expiring token is deleted");
        Browser.Find("details summary").Click();
        var third = Browser.Value("scim-token");
        using var thirdClient = ScimClient(endpoint, third);
        await (await thirdClient.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        DeleteToken(tenantId, AdminApi.TokenId(second));
        Assert.False(Browser.Has("#rotation-banner"));
        await (await secondClient.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        Browser.Open($"/console/tenants?search={Uri.EscapeDataString(name)}");
        Assert.False(Browser.Has("a.badge"));
    }

    /// <summary>Deletes a token from its row's Delete link; a wrong word is refused first (the confirmation is typed, as written).</summary>
    private void DeleteToken(string tenantId, string tokenId)
    {
        Browser.Open($"/console/tenants/{tenantId}/provisioning");
        Browser.Navigate(() => Browser.Find($"a[href$='/tokens/{tokenId}/delete']").Click());
        Browser.Fill("confirm", "delete");
        Browser.Press("Delete access token");
        Assert.Contains("Type DELETE to confirm.", Browser.BodyText);
        Browser.Fill("confirm", "DELETE");
        Browser.Press("Delete access token");
        Assert.EndsWith($"/console/tenants/{tenantId}/provisioning", Browser.PathAndQuery);
    }
}
