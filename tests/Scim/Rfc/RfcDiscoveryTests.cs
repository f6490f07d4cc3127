using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios C-01..C-09 of SCIM-RULES.md §13 on tenants switched to the rfc profile: authentication and discovery.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcDiscoveryTests(GatewayFixture fixture)
{
    // Scenario C-01. Rule R-GEN-2, R-ERR-1: no Authorization header → 401. A request that is not
    // authenticated has no tenant, so its error is answered as the default profile answers.
    [Fact]
    public async Task C01_ServiceProviderConfigWithoutAuthorizationIs401()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var anonymous = new HttpClient { BaseAddress = tenant.Client.BaseAddress };

        await (await anonymous.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    // Scenario C-02. Rule R-GEN-2: Bearer only.
    [Fact]
    public async Task C02_ServiceProviderConfigWithBasicAuthorizationIs401()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        using var basic = new HttpClient { BaseAddress = tenant.Client.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpw");

        await (await basic.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    // Scenario C-03. Rule R-GEN-2, T-10: a token of another tenant → 401.
    [Fact]
    public async Task C03_TokenOfTenantAOnTenantBBaseUrlIs401()
    {
        var tenantA = await fixture.CreateRfcTenantAsync();
        var tenantB = await fixture.CreateRfcTenantAsync();
        await tenantA.Client.GetRfcAsync("ServiceProviderConfig");

        using var crossed = new HttpClient { BaseAddress = tenantB.Client.BaseAddress };
        crossed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantA.Token);

        await (await crossed.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    // Scenario C-05. Rule R-DISC-1 [RFC]: etag supported, Bulk as the tenant's setting (off by default), sort as built.
    [Fact]
    public async Task C05_ServiceProviderConfigAdvertisesPatchFilterBearerEtagAndBulkOff()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var config = await tenant.Client.GetRfcAsync("ServiceProviderConfig");

        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal(100, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0]!["type"]!.GetValue<string>());
        Assert.True(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.False(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.Contains(config["sort"]!["supported"]!.GetValueKind(), new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.False(config["changePassword"]!["supported"]!.GetValue<bool>());
    }

    // Scenario C-06. Rule R-DISC-4 [RFC]: a filter on a discovery endpoint → 403; paging parameters are ignored.
    [Fact]
    public async Task C06_FilterOnDiscoveryEndpointIs403()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync("ServiceProviderConfig?filter=" + Uri.EscapeDataString("x eq \"y\""))).ExpectRfcErrorAsync(HttpStatusCode.Forbidden);
        await (await tenant.Client.GetAsync("Schemas?filter=" + Uri.EscapeDataString("id eq \"x\""))).ExpectRfcErrorAsync(HttpStatusCode.Forbidden);
        var paged = await tenant.Client.GetRfcAsync("ResourceTypes?count=1&startIndex=2");
        Assert.Equal(2, paged["Resources"]!.AsArray().Count);
    }

    // Scenario C-07. Rule R-DISC-2: two resource types; the enterprise extension is not required in the rfc profile;
    // GET /ResourceTypes/User → 200 and an unknown name → 404 [RFC].
    [Fact]
    public async Task C07_ResourceTypesListsUserAndGroupWithOptionalEnterpriseExtension()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var list = await tenant.Client.GetRfcAsync("ResourceTypes");

        Assert.Equal(ListSchema, list["schemas"]![0]!.GetValue<string>());
        Assert.Equal(2, list["totalResults"]!.GetValue<int>());
        var user = list["Resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "User")!;
        Assert.Equal("/Users", user["endpoint"]!.GetValue<string>());
        Assert.Equal(EnterpriseSchema, user["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.False(user["schemaExtensions"]![0]!["required"]!.GetValue<bool>());

        var byName = await tenant.Client.GetRfcAsync("ResourceTypes/User");
        Assert.Equal("User", byName["id"]!.GetValue<string>());
        Assert.Equal(UserSchema, byName["schema"]!.GetValue<string>());
        await (await tenant.Client.GetAsync("ResourceTypes/Device")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
    }

    // Scenario C-08. Rule R-DISC-3: three schemas, each by URN. The User schema is the one validation enforces in
    // this profile: only userName is required, and the attributes the aws profile refuses are advertised.
    [Fact]
    public async Task C08_SchemasListsThreeSchemasGeneratedFromTheEnforcedModel()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var list = await tenant.Client.GetRfcAsync("Schemas");
        Assert.Equal(3, list["totalResults"]!.GetValue<int>());
        Assert.Equal(new[] { EnterpriseSchema, GroupSchema, UserSchema }.Order(), RfcScim.Ids(list).Order());

        var schema = await tenant.Client.GetRfcAsync($"Schemas/{UserSchema}");
        Assert.Equal(UserSchema, schema["id"]!.GetValue<string>());
        var attributes = schema["attributes"]!.AsArray().ToDictionary(a => a!["name"]!.GetValue<string>(), a => a!);
        Assert.True(attributes["userName"]["required"]!.GetValue<bool>());
        Assert.False(attributes["name"]["required"]!.GetValue<bool>());
        Assert.False(attributes["displayName"]["required"]!.GetValue<bool>());
        Assert.Contains("x509Certificates", attributes.Keys);
        Assert.Contains("ims", attributes.Keys);
        Assert.Equal("readOnly", attributes["groups"]["mutability"]!.GetValue<string>());
        Assert.DoesNotContain("password", attributes.Keys); // accepted and never kept, so not advertised
    }

    // Scenario C-09. Rule R-DISC-3, R-ERR-5: an unknown URN → 404 with an Error body.
    [Fact]
    public async Task C09_UnknownSchemaUrnIs404()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync("Schemas/urn:nope")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
    }

    // Rule R-DISC-5 [RFC]: /Me → 501, whatever the method.
    [Fact]
    public async Task MeIsNotImplemented()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync("Me")).ExpectRfcErrorAsync(HttpStatusCode.NotImplemented);
        await (await tenant.Client.PostJsonAsync("Me", RfcScim.MinimalUser())).ExpectRfcErrorAsync(HttpStatusCode.NotImplemented);
    }
}
