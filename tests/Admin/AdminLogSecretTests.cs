using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>No secret in any log line, at Debug level (O-5), on a product instance whose logs are captured.</summary>
public sealed class AdminLogSecretTests(AdminLogCaptureFixture fixture) : IClassFixture<AdminLogCaptureFixture>
{
    [Fact]
    public async Task NoLogLineHoldsATokenSecretOrTheOperatorKey()
    {
        // Rule O-5: no secret ever appears in logs. Rule T-2: the secret is shown only in the generating response.
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimHttp.ScimClient(endpoint, t1);
        var user = await scim.CreateUserAsync();
        await (await scim.GetAsync($"Users/{user}")).ExpectAsync(HttpStatusCode.OK);
        await (await scim.PatchJsonAsync($"Users/{user}", Op("replace", "displayName", JsonValue.Create("Renamed")))).ExpectAsync(HttpStatusCode.OK);
        var group = await scim.CreateGroupAsync();
        await (await scim.PatchJsonAsync($"Groups/{group}", Op("add", "members", new JsonArray(new JsonObject { ["value"] = user }))))
            .ExpectAsync(HttpStatusCode.NoContent);
        await (await scim.GetAsync("Users?filter=userName+eq+%22nobody%40x.com%22")).ExpectAsync(HttpStatusCode.OK);
        await (await scim.GetAsync("Users/does-not-exist")).ExpectErrorAsync(HttpStatusCode.NotFound);

        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        using var scim2 = ScimHttp.ScimClient(endpoint, t2);
        await (await scim2.GetAsync("Groups")).ExpectAsync(HttpStatusCode.OK);
        await fixture.Admin.ListTokensAsync(tenantId);
        await (await fixture.Admin.PostAsync($"/admin/tenants/{tenantId}/tokens", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}/provisioning")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await fixture.Admin.DeleteTokenAsync(tenantId, t1);
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);

        // Failed authentications that carry (parts of) real secrets.
        using var crossed = ScimHttp.ScimClient(endpoint, $"{AdminApi.TokenId(t2)}.{AdminApi.Secret(t1)}");
        await (await crossed.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        using var scimWithKey = ScimHttp.ScimClient(endpoint, fixture.OperatorKey);
        await (await scimWithKey.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        using var adminWithToken = fixture.CreateClient();
        adminWithToken.DefaultRequestHeaders.Authorization = new("Bearer", t2);
        await (await adminWithToken.GetAsync("/admin/tenants")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/events")).ExpectAsync(HttpStatusCode.OK);

        var lines = fixture.Logs.Lines;
        // The capture works at Debug level, or the assertion below would prove nothing.
        Assert.Contains(lines, l => l.Level == LogLevel.Debug);
        var secrets = new Dictionary<string, string>
        {
            ["secret of token 1"] = AdminApi.Secret(t1),
            ["secret of token 2"] = AdminApi.Secret(t2),
            ["operator key"] = fixture.OperatorKey,
        };
        var leaks = (from line in lines
                     from secret in secrets
                     where line.Text.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{secret.Key} in [{line.Level} {line.Category}] {line.Text}").Distinct().ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks.Take(10)));
    }
}
