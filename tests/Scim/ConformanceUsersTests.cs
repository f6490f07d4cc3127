using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

/// <summary>
/// The aws-profile conformance scenarios C-01..C-45 of SCIM-RULES.md §13 (rows tagged AWS or BOTH).
/// Each test runs on its own fresh tenant and creates the resources it needs.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConformanceUsersTests(GatewayFixture fixture)
{
    // ---------------------------------------------------------------- authentication

    [Fact]
    public async Task C01_ServiceProviderConfigWithoutAuthorizationIs401()
    {
        // Rule R-GEN-2, R-ERR-1, R-GEN-5
        var tenant = await fixture.CreateTenantAsync();
        using var anonymous = new HttpClient { BaseAddress = tenant.Client.BaseAddress };

        var response = await anonymous.GetAsync("ServiceProviderConfig");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task C02_ServiceProviderConfigWithBasicAuthorizationIs401()
    {
        // Rule R-GEN-2 (Bearer only), R-ERR-1
        var tenant = await fixture.CreateTenantAsync();
        using var basic = new HttpClient { BaseAddress = tenant.Client.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpw");

        var response = await basic.GetAsync("ServiceProviderConfig");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task C03_TokenOfTenantAOnTenantBBaseUrlIs401()
    {
        // Rule R-GEN-2 (a token that belongs to a different tenant → 401)
        var tenantA = await fixture.CreateTenantAsync();
        var tenantB = await fixture.CreateTenantAsync();
        // The token is valid on its own tenant…
        await Conformance.ExpectAwsAsync(await tenantA.Client.GetAsync("ServiceProviderConfig"), HttpStatusCode.OK);

        using var crossed = new HttpClient { BaseAddress = tenantB.Client.BaseAddress };
        crossed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantA.Token);
        var response = await crossed.GetAsync("ServiceProviderConfig");

        // …and refused on the other tenant's base URL.
        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    // ---------------------------------------------------------------- discovery

    [Fact]
    public async Task C05_ServiceProviderConfigAdvertisesPatchFilterBearerAndNoBulkEtagSort()
    {
        // Rule R-DISC-1, R-GEN-4
        var tenant = await fixture.CreateTenantAsync();

        var config = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("ServiceProviderConfig"), HttpStatusCode.OK);

        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0]!["type"]!.GetValue<string>());
        Assert.False(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.False(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.False(config["sort"]!["supported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task C07_ResourceTypesListsUserAndGroupWithRequiredEnterpriseExtension()
    {
        // Rule R-DISC-2, R-LST-1
        var tenant = await fixture.CreateTenantAsync();

        var list = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("ResourceTypes"), HttpStatusCode.OK);

        Assert.Equal(ListSchema, Assert.Single(list["schemas"]!.AsArray())!.GetValue<string>());
        Assert.Equal(2, Conformance.Integer(list, "totalResults"));
        var resources = list["Resources"]!.AsArray();
        var user = Assert.Single(resources, r => r!["name"]!.GetValue<string>() == "User")!;
        Assert.Equal("/Users", user["endpoint"]!.GetValue<string>());
        Assert.Equal(UserSchema, user["schema"]!.GetValue<string>());
        Assert.Equal(EnterpriseSchema, user["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.True(user["schemaExtensions"]![0]!["required"]!.GetValue<bool>()); // aws profile
        var group = Assert.Single(resources, r => r!["name"]!.GetValue<string>() == "Group")!;
        Assert.Equal("/Groups", group["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task C08_SchemasListsThreeSchemasAndGetsUserSchemaByUrn()
    {
        // Rule R-DISC-3, R-LST-1
        var tenant = await fixture.CreateTenantAsync();

        var list = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("Schemas"), HttpStatusCode.OK);
        Assert.Equal(ListSchema, Assert.Single(list["schemas"]!.AsArray())!.GetValue<string>());
        Assert.Equal(3, Conformance.Integer(list, "totalResults"));
        var ids = list["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(new[] { GroupSchema, UserSchema, EnterpriseSchema }.Order().ToArray(), ids);

        var schema = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync($"Schemas/{UserSchema}"), HttpStatusCode.OK);
        Assert.Equal(UserSchema, schema["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task C09_UnknownSchemaUrnIs404()
    {
        // Rule R-DISC-3 (unknown URN → 404), R-ERR-5
        var tenant = await fixture.CreateTenantAsync();

        var response = await tenant.Client.GetAsync("Schemas/urn:nope");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.NotFound);
    }

    // ---------------------------------------------------------------- create

    [Fact]
    public async Task C10_PostUserReturns201WithServerId()
    {
        // Rule R-CRUD-1, R-META-1, R-META-2, R-META-3 [AWS], R-USR-10
        var tenant = await fixture.CreateTenantAsync();

        var user = await Conformance.ExpectAwsAsync(await tenant.Client.PostJsonAsync("Users", User()), HttpStatusCode.Created);

        Assert.Equal("User", user["meta"]!["resourceType"]!.GetValue<string>());
        var created = user["meta"]!["created"]!.GetValue<string>();
        Assert.Equal(created, user["meta"]!["lastModified"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", created);
        // A lowercase UUID of version 7 whose leading 48 bits are the creation time in milliseconds (docs/decisions.md).
        var id = user["id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        var idTime = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id.Replace("-", "")[..12], 16));
        Assert.Equal(DateTimeOffset.Parse(created, CultureInfo.InvariantCulture), idTime.AddTicks(-(idTime.UtcTicks % TimeSpan.TicksPerSecond)));
        Assert.Equal("ruth@x.com", user["userName"]!.GetValue<string>());
        Assert.True(user["active"]!.GetValue<bool>());
        // aws profile: no location or version (R-META-3)
        Assert.Null(user["meta"]!["location"]);
        Assert.Null(user["meta"]!["version"]);
    }

    [Fact]
    public async Task C11_PostSameUserTwiceIs409Uniqueness()
    {
        // Rule R-USR-8, R-ERR-3 (uniqueness), R-ERR-4 (duplicate detail)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.PostJsonAsync("Users", User());

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task C12_PostUserNameDifferingOnlyInCaseIs409Uniqueness()
    {
        // Rule R-USR-8 (userName unique, caseExact=false)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        // Only the userName collides (case-insensitively): email and externalId are new.
        var response = await tenant.Client.PostJsonAsync("Users", User("RUTH@X.COM", email: "other-c12@x.com", externalId: "ext-c12"));

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task C13_PostWithAnotherUsersEmailIs409()
    {
        // Rule R-USR-8 [AWS] (primary email unique per tenant)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.PostJsonAsync("Users", User("new-c13@x.com", email: "ruth@x.com", externalId: "ext-c13"));

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task C14_PostWithAnotherUsersExternalIdIs409()
    {
        // Rule R-USR-8 [AWS] (externalId unique per tenant)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.PostJsonAsync("Users", User("new-c14@x.com", email: "new-c14@x.com", externalId: "ext-1"));

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task C15_PostWithoutGivenNameIs400NamingTheAttribute()
    {
        // Rule R-USR-3 [AWS] (name.givenName required), R-ERR-3 (invalidValue: missing required)
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user["name"]!.AsObject().Remove("givenName");

        var response = await tenant.Client.PostJsonAsync("Users", user);

        var error = await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest, "invalidValue");
        Assert.Contains("name.givenName", error["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task C17_PostWithoutUserNameIs400InvalidValue()
    {
        // Rule R-USR-3 (userName required), R-ERR-3
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user.Remove("userName");

        var response = await tenant.Client.PostJsonAsync("Users", user);

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task C18_PostWithTwoEmailsIs400ExceedsLimitOfOne()
    {
        // Rule R-USR-5 [AWS], R-ERR-4 (too many values detail)
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user["emails"]!.AsArray().Add(new JsonObject { ["value"] = "second-c18@x.com", ["type"] = "home", ["primary"] = false });

        var response = await tenant.Client.PostJsonAsync("Users", user);

        var error = await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("exceeds allowed limit of 1", error["detail"]!.GetValue<string>());
        Assert.Contains("List attribute emails exceeds allowed limit of 1", error["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task C19_PostWithNonPrimaryOnlyEmailIs400()
    {
        // Rule R-USR-5 [AWS] (the one email must have primary:true)
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user["emails"]![0]!["primary"] = false;

        var response = await tenant.Client.PostJsonAsync("Users", user);

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task C20_PostWithNonEmptyGroupsIs400()
    {
        // Rule R-USR-6 [AWS]
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user["groups"] = new JsonArray(new JsonObject { ["value"] = "g" });

        var response = await tenant.Client.PostJsonAsync("Users", user);

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task C21_PostIgnoresPasswordAndClientIdAndMeta()
    {
        // Rule R-USR-4 (password ignored), R-USR-11 (never returned), R-META-1 (client id/meta ignored)
        var tenant = await fixture.CreateTenantAsync();
        var user = UniqueUser();
        user["password"] = "p";
        user["id"] = "x";
        user["meta"] = new JsonObject
        {
            ["resourceType"] = "Group",
            ["created"] = "2000-01-01T00:00:00Z",
            ["lastModified"] = "2000-01-01T00:00:00Z",
        };

        var created = await Conformance.ExpectAwsAsync(await tenant.Client.PostJsonAsync("Users", user), HttpStatusCode.Created);

        Assert.False(Conformance.HasKey(created, "password"));
        var id = created["id"]!.GetValue<string>();
        Assert.NotEqual("x", id);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("User", created["meta"]!["resourceType"]!.GetValue<string>());
        Assert.NotEqual("2000-01-01T00:00:00Z", created["meta"]!["created"]!.GetValue<string>());

        var fetched = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync($"Users/{id}"), HttpStatusCode.OK);
        Assert.False(Conformance.HasKey(fetched, "password"));
        await Conformance.ExpectAwsErrorAsync(await tenant.Client.GetAsync("Users/x"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task C22_PostWithEnterpriseExtensionEchoesItAndListsItsSchema()
    {
        // Rule R-USR-1 (extension URN in schemas when extension data is present)
        var tenant = await fixture.CreateTenantAsync();
        var managerId = await tenant.Client.CreateUserAsync();
        var user = UniqueUser();
        user["schemas"]!.AsArray().Add(EnterpriseSchema);
        user[EnterpriseSchema] = new JsonObject
        {
            ["employeeNumber"] = "7",
            ["manager"] = new JsonObject { ["value"] = managerId },
        };

        var created = await Conformance.ExpectAwsAsync(await tenant.Client.PostJsonAsync("Users", user), HttpStatusCode.Created);

        Assert.Contains(EnterpriseSchema, created["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var extension = created[EnterpriseSchema]!;
        Assert.Equal("7", extension["employeeNumber"]!.GetValue<string>());
        Assert.Equal(managerId, extension["manager"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task C23_PostMalformedJsonIs400InvalidSyntax()
    {
        // Rule R-GEN-3 (not JSON → 400 invalidSyntax), R-ERR-3
        var tenant = await fixture.CreateTenantAsync();

        var response = await tenant.Client.SendJsonAsync(HttpMethod.Post, "Users", "{");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest, "invalidSyntax");
    }

    [Fact]
    public async Task C24_PostWith129CharacterUserNameIs400()
    {
        // Rule R-USR-9 [AWS] (userName 1–128 characters)
        var tenant = await fixture.CreateTenantAsync();
        var longest = new string('a', 122) + "@x.com";
        Assert.Equal(128, longest.Length);
        var tooLong = new string('a', 123) + "@x.com";
        Assert.Equal(129, tooLong.Length);

        var rejected = await tenant.Client.PostJsonAsync("Users", User(tooLong, email: "c24-long@x.com", externalId: "ext-c24-long"));
        await Conformance.ExpectAwsErrorAsync(rejected, HttpStatusCode.BadRequest);

        // The boundary itself is accepted.
        var accepted = await tenant.Client.PostJsonAsync("Users", User(longest, email: "c24-max@x.com", externalId: "ext-c24-max"));
        var created = await Conformance.ExpectAwsAsync(accepted, HttpStatusCode.Created);
        Assert.Equal(longest, created["userName"]!.GetValue<string>());
    }

    // ---------------------------------------------------------------- read

    [Fact]
    public async Task C25_GetUserByIdReturnsTheCreatedDataWithoutPassword()
    {
        // Rule R-CRUD-3, R-USR-11
        var tenant = await fixture.CreateTenantAsync();
        var body = User();
        body["password"] = "p";
        var created = await Conformance.ExpectAwsAsync(await tenant.Client.PostJsonAsync("Users", body), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        var fetched = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync($"Users/{id}"), HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(created, fetched), $"POST: {created.ToJsonString()}\nGET: {fetched.ToJsonString()}");
        Assert.Equal(id, fetched["id"]!.GetValue<string>());
        Assert.Equal("ruth@x.com", fetched["userName"]!.GetValue<string>());
        Assert.Equal("Ruth R", fetched["displayName"]!.GetValue<string>());
        Assert.Equal("ext-1", fetched["externalId"]!.GetValue<string>());
        Assert.Equal("ruth@x.com", fetched["emails"]![0]!["value"]!.GetValue<string>());
        Assert.False(Conformance.HasKey(fetched, "password"));
    }

    [Fact]
    public async Task C26_GetUnknownUserIdIs404()
    {
        // Rule R-CRUD-3, R-META-1 (unknown id in any format → 404, never 400), R-ERR-5
        var tenant = await fixture.CreateTenantAsync();

        var response = await tenant.Client.GetAsync("Users/010101010101");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.NotFound);
    }

    // ---------------------------------------------------------------- filters

    [Fact]
    public async Task C27_FilterByUserNameReturnsTheUserInAListResponse()
    {
        // Rule R-LST-1, R-FLT-6
        var tenant = await fixture.CreateTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        await tenant.Client.CreateUserAsync();

        var list = await Conformance.ListAsync(tenant.Client, "userName eq \"ruth@x.com\"");

        Assert.Equal(ListSchema, Assert.Single(list["schemas"]!.AsArray())!.GetValue<string>());
        Assert.Equal(1, Conformance.Integer(list, "totalResults"));
        Assert.Equal(id, Assert.Single(list["Resources"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task C28_FormEncodedUpperCaseUserNameFilterFindsTheUser()
    {
        // Rule R-GEN-6 (+ is a space), R-FLT-2, R-USR-8 (userName caseExact=false)
        var tenant = await fixture.CreateTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var list = await Conformance.ExpectAwsAsync(
            await tenant.Client.GetAsync("Users?filter=userName+eq+%22RUTH%40X.COM%22"), HttpStatusCode.OK);

        Assert.Equal(1, Conformance.Integer(list, "totalResults"));
        Assert.Equal(id, list["Resources"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task C29_FilterWithNoMatchReturns200WithZeroResultsAndEmptyResources()
    {
        // Rule R-LST-1 (zero matches → 200, Resources always present)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var list = await Conformance.ListAsync(tenant.Client, "userName eq \"nobody@x.com\"");

        Assert.Equal(0, Conformance.Integer(list, "totalResults"));
        var resources = Assert.IsType<JsonArray>(list["Resources"]);
        Assert.Empty(resources);
    }

    [Fact]
    public async Task C30_ExternalIdFilterIsCaseExact()
    {
        // Rule R-FLT-2 (externalId caseExact), R-USR-8
        var tenant = await fixture.CreateTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var exact = await Conformance.ListAsync(tenant.Client, "externalId eq \"ext-1\"");
        Assert.Equal(1, Conformance.Integer(exact, "totalResults"));
        Assert.Equal(id, exact["Resources"]![0]!["id"]!.GetValue<string>());

        var otherCase = await Conformance.ListAsync(tenant.Client, "externalId eq \"EXT-1\"");
        Assert.Equal(0, Conformance.Integer(otherCase, "totalResults"));
        Assert.Empty(otherCase["Resources"]!.AsArray());
    }

    [Fact]
    public async Task C32_ContainsOperatorFilterIs400()
    {
        // Rule R-FLT-6 [AWS] (only eq), R-FLT-4 / R-ERR-3 (unsupported operator → invalidFilter)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.GetAsync("Users?filter=" + Uri.EscapeDataString("userName co \"ruth\""));

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest, "invalidFilter");
    }

    [Fact]
    public async Task C37_FilterMissingItsValueIs400()
    {
        // Rule R-FLT-4 (malformed filter → 400 invalidFilter)
        var tenant = await fixture.CreateTenantAsync();

        var response = await tenant.Client.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq"));

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.BadRequest, "invalidFilter");
    }

    // ---------------------------------------------------------------- paging

    [Fact]
    public async Task C38_CountOneStartIndexOneReturnsOneItemAndIntegerTotalOfThree()
    {
        // Rule R-LST-1 (integer counters), R-LST-3, R-LST-4 (totalResults = all matches)
        var tenant = await fixture.CreateTenantAsync();
        var ids = new HashSet<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await tenant.Client.CreateUserAsync());

        var list = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("Users?count=1&startIndex=1"), HttpStatusCode.OK);

        Assert.Equal(1, Conformance.Integer(list, "itemsPerPage"));
        var item = Assert.Single(list["Resources"]!.AsArray());
        Assert.Contains(item!["id"]!.GetValue<string>(), ids);
        Assert.Equal(3, Conformance.Integer(list, "totalResults"));
        Assert.Equal(1, Conformance.Integer(list, "startIndex"));
    }

    [Fact]
    public async Task C41_CountZeroAndCountAboveHundredAre400()
    {
        // Rule R-LST-3 [AWS] (count 1–100, outside → 400)
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync();

        await Conformance.ExpectAwsErrorAsync(await tenant.Client.GetAsync("Users?count=0"), HttpStatusCode.BadRequest);
        await Conformance.ExpectAwsErrorAsync(await tenant.Client.GetAsync("Users?count=101"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task C42_CursorPagingReturnsEveryUserExactlyOnceWithoutTotals()
    {
        // Rule R-LST-3 [AWS] (cursor mode: itemsPerPage + nextCursor, no totalResults/startIndex), R-LST-4
        var tenant = await fixture.CreateTenantAsync();
        var expected = new List<string>
        {
            await tenant.Client.CreateUserAsync(User()),
            await tenant.Client.CreateUserAsync(),
            await tenant.Client.CreateUserAsync(),
        };

        var seen = new List<string>();
        var url = "Users?cursor&count=2";
        var pages = 0;
        while (true)
        {
            Assert.True(++pages <= 10, "nextCursor never ended");
            var page = await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync(url), HttpStatusCode.OK);
            Assert.False(Conformance.HasKey(page, "totalResults"), $"cursor page has totalResults: {page.ToJsonString()}");
            Assert.False(Conformance.HasKey(page, "startIndex"), $"cursor page has startIndex: {page.ToJsonString()}");
            var resources = page["Resources"]!.AsArray();
            Assert.True(resources.Count <= 2, $"page holds {resources.Count} items");
            Assert.Equal(resources.Count, Conformance.Integer(page, "itemsPerPage"));
            seen.AddRange(resources.Select(r => r!["id"]!.GetValue<string>()));
            if (page["nextCursor"] is not { } next)
                break;
            url = "Users?count=2&cursor=" + Uri.EscapeDataString(next.GetValue<string>());
        }

        Assert.Equal(expected.Order(), seen.Order());
    }

    // ---------------------------------------------------------------- unsupported endpoints

    [Fact]
    public async Task C45_PostUsersSearchIs404()
    {
        // Rule R-DISC-5 [AWS] (/.search not supported → 404 with error body), R-SRCH-1 [AWS]
        var tenant = await fixture.CreateTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.SendJsonAsync(HttpMethod.Post, "Users/.search",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq \"ruth@x.com\""}""");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.NotFound);
    }
}

/// <summary>Assertions of the aws profile layered on <see cref="ScimHttp"/>.</summary>
internal static class Conformance
{
    /// <summary>Status, application/json (R-GEN-4 [AWS]) and a UUID x-amzn-RequestId (R-GEN-5); returns the body.</summary>
    public static async Task<JsonObject> ExpectAwsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        AssertAwsHeaders(response);
        return body;
    }

    /// <summary>
    /// Err(n,t) in the aws profile: ScimHttp's checks plus application/json, the singular <c>schema</c>
    /// key (R-ERR-1), a UUID request id, and a non-empty <c>scimType</c> on 400/409 (R-ERR-3).
    /// </summary>
    public static async Task<JsonObject> ExpectAwsErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? scimType = null)
    {
        var body = await response.ExpectErrorAsync(status, scimType);
        AssertAwsHeaders(response);
        Assert.Equal(ErrorSchema, Assert.Single(body["schemas"]!.AsArray())!.GetValue<string>());
        Assert.Equal(ErrorSchema, Assert.Single(Assert.IsType<JsonArray>(body["schema"]))!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, body["status"]!.GetValueKind());
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
            Assert.False(string.IsNullOrEmpty(body["scimType"]?.GetValue<string>()), $"no scimType in {body.ToJsonString()}");
        return body;
    }

    public static async Task<JsonObject> ListAsync(HttpClient client, string filter) =>
        await ExpectAwsAsync(await client.GetAsync("Users?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.OK);

    /// <summary>A list counter that must be a JSON integer (R-LST-1).</summary>
    public static int Integer(JsonObject body, string name)
    {
        var node = body[name];
        Assert.True(node is not null, $"'{name}' missing from {body.ToJsonString()}");
        Assert.Equal(JsonValueKind.Number, node!.GetValueKind());
        return node.GetValue<int>();
    }

    /// <summary>True when the object has the key in any letter case.</summary>
    public static bool HasKey(JsonObject body, string name) =>
        body.Any(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static void AssertAwsHeaders(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TryGetValues("x-amzn-RequestId", out var ids), "no x-amzn-RequestId header");
        Assert.True(Guid.TryParse(ids!.Single(), out _), $"x-amzn-RequestId is not a UUID: {ids!.Single()}");
    }
}
