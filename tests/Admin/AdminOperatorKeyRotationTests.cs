using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Admin;

/// <summary>Rotating the operator key (O-1), on a product instance of its own: its old key stops working.</summary>
public sealed class AdminOperatorKeyRotationTests(AdminLogCaptureFixture fixture) : IClassFixture<AdminLogCaptureFixture>
{
    [Fact]
    public async Task ARotatedKeyIsShownOnceAndTheOldOneOpensNothingFromThen()
    {
        var (_, endpoint, scimToken) = await fixture.Admin.CreateProvisionedTenantAsync();
        var oldKey = fixture.OperatorKey;

        var rotation = await fixture.Admin.PostAsync("/admin/operator-key", null);
        var body = await rotation.ExpectAsync(HttpStatusCode.OK);
        var newKey = body["operatorKey"]!.GetValue<string>();
        Assert.NotEqual(oldKey, newKey);
        Assert.True(rotation.Headers.CacheControl?.NoStore, "a response that carries a secret must not be cached");

        // Rule O-1: only the current key opens the admin API; the old one cannot even rotate again.
        using var withOld = ScimHttp.BearerClient(fixture.BaseAddress.ToString(), oldKey);
        using var withNew = ScimHttp.BearerClient(fixture.BaseAddress.ToString(), newKey);
        await (await withOld.GetAsync("/admin/tenants")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await withOld.PostAsync("/admin/operator-key", null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await withNew.GetAsync("/admin/tenants")).ExpectAsync(HttpStatusCode.OK);

        // The tenants' SCIM tokens are not the operator's: they keep working.
        using var scim = ScimHttp.ScimClient(endpoint, scimToken);
        await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);

        // Rule O-5: the rotation is recorded, and no log line holds either key.
        var lines = fixture.Logs.Lines;
        Assert.Contains(lines, line => line.Text.Contains("operator key was rotated", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Text.Contains(oldKey, StringComparison.Ordinal) || line.Text.Contains(newKey, StringComparison.Ordinal));
    }
}
