using System.Net;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

[Collection(GatewayCollection.Name)]
public sealed class SmokeTests(GatewayFixture fixture)
{
    [Fact]
    public async Task CreatedUserIsFoundByUserName()
    {
        var tenant = await fixture.CreateTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var list = await (await tenant.Client.GetAsync("Users?filter=userName+eq+%22RUTH%40X.COM%22")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, list["Resources"]![0]!["id"]!.GetValue<string>());
    }
}
