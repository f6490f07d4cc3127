using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

public sealed class AdminAuditTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Rule O-5: every SCIM write and every admin action leaves an audit record: who, what, when,
    // under which request id; no secret in it.
    [Fact]
    public async Task ScimWritesAndAdminActionsAreAudited()
    {
        var tenant = await fixture.CreateTenantAsync();
        var tokenId = tenant.Token[..tenant.Token.IndexOf('.')];
        var created = await tenant.Client.PostJsonAsync("Users", UniqueUser());
        var userId = (await created.ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var requestId = created.Headers.GetValues("x-amzn-RequestId").Single();
        await (await tenant.Client.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);

        using var admin = await fixture.CreateAdminClientAsync();
        var second = await admin.PostAsync($"tenants/{tenant.TenantId}/tokens", null);
        var secondToken = (await second.ExpectAsync(HttpStatusCode.OK))["token"]!.GetValue<string>();

        var audit = await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenant.TenantId}/audit");
        var entries = audit!["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Contains(entries, e => e["action"]!.GetValue<string>() == "CreateUser" && e["target"]!.GetValue<string>() == $"User/{userId}"
            && e["actor"]!.GetValue<string>() == $"token:{tokenId}" && e["requestId"]!.GetValue<string>() == requestId);
        Assert.Contains(entries, e => e["action"]!.GetValue<string>() == "DeleteUser" && e["actor"]!.GetValue<string>() == $"token:{tokenId}");
        Assert.Contains(entries, e => e["action"]!.GetValue<string>() == "CreateToken" && e["actor"]!.GetValue<string>() == "operator");
        var text = audit.ToJsonString();
        Assert.DoesNotContain(tenant.Token[(tokenId.Length + 1)..], text);
        Assert.DoesNotContain(secondToken[(secondToken.IndexOf('.') + 1)..], text);
    }

    // Rule O-5: a write that fails leaves no audit record of a change that did not happen.
    [Fact]
    public async Task RefusedWritesLeaveNoAuditRecord()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User("dup@x.com", externalId: "dup-1"));
        await (await tenant.Client.PostJsonAsync("Users", User("dup@x.com", externalId: "dup-2"))).ExpectAsync(HttpStatusCode.Conflict);

        using var admin = await fixture.CreateAdminClientAsync();
        var audit = await admin.GetFromJsonAsync<JsonObject>($"tenants/{tenant.TenantId}/audit");
        Assert.Single(audit!["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "CreateUser");
    }
}
