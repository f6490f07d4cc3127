using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;
using static IdentityDirectory.Tests.Scim.ConformanceChecks;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios of SCIM-RULES.md §13 on users (create, read, lists, replace) on tenants switched to the rfc profile.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcUsersTests(GatewayFixture fixture)
{
    // Scenario C-10. Rule R-CRUD-1, R-META-1..3 [RFC]: 201 with a Location header equal to meta.location and an ETag equal to meta.version.
    [Fact]
    public async Task C10_PostUserReturns201WithLocationAndVersion()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var response = await tenant.Client.PostJsonAsync("Users", User());
        var user = await response.ExpectRfcAsync(HttpStatusCode.Created);

        Assert.False(string.IsNullOrEmpty(Id(user)));
        Assert.Equal("User", user["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal(Created(user), LastModified(user));
        Assert.Equal("ruth@x.com", user["userName"]!.GetValue<string>());
        Assert.True(user["active"]!.GetValue<bool>());
        var location = user["meta"]!["location"]!.GetValue<string>();
        Assert.Equal(new Uri(tenant.Client.BaseAddress!, $"Users/{Id(user)}").ToString(), location);
        Assert.Equal(location, response.Headers.Location!.ToString());
        Assert.Equal("W/\"1\"", user["meta"]!["version"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", RfcScim.ETag(response));
    }

    // Scenario C-11. Rule R-USR-8: the same userName again → 409 uniqueness.
    [Fact]
    public async Task C11_PostSameUserTwiceIs409Uniqueness()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.PostJsonAsync("Users", User())).ExpectRfcErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    // Scenario C-12. Rule R-USR-8: userName is caseExact=false.
    [Fact]
    public async Task C12_PostUserNameDifferingOnlyInCaseIs409Uniqueness()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.PostJsonAsync("Users", User("RUTH@X.COM", "other@x.com", "ext-2"))).ExpectRfcErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    // Scenario C-16. Rule R-USR-3 [RFC]: only userName is required.
    [Fact]
    public async Task C16_MinimalUserWithUserNameOnlyIsCreated()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var user = await (await tenant.Client.PostJsonAsync("Users", RfcScim.MinimalUser("min@x.com"))).ExpectRfcAsync(HttpStatusCode.Created);

        Assert.Equal("min@x.com", user["userName"]!.GetValue<string>());
        Assert.True(user["active"]!.GetValue<bool>());
        Assert.Null(user["name"]);
    }

    // Scenario C-17. Rule R-USR-3, R-ERR-3: no userName → 400 invalidValue.
    [Fact]
    public async Task C17_PostWithoutUserNameIs400InvalidValue()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body.Remove("userName");

        await (await tenant.Client.PostJsonAsync("Users", body)).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    // Scenario C-21. Rule R-USR-11, R-META-1: password is never returned; client id and meta are ignored.
    [Fact]
    public async Task C21_PostIgnoresPasswordAndClientIdAndMeta()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = UniqueUser();
        body["password"] = "p";
        body["id"] = "x";
        body["meta"] = new JsonObject { ["resourceType"] = "Group", ["version"] = "W/\"9\"" };

        var user = await (await tenant.Client.PostJsonAsync("Users", body)).ExpectRfcAsync(HttpStatusCode.Created);

        Assert.Null(user["password"]);
        Assert.NotEqual("x", Id(user));
        Assert.Equal("User", user["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", user["meta"]!["version"]!.GetValue<string>());
    }

    // Scenario C-22. Rule R-USR-1: enterprise data is echoed and its URN listed in schemas.
    [Fact]
    public async Task C22_PostWithEnterpriseExtensionEchoesItAndListsItsSchema()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var manager = await tenant.Client.CreateUserAsync(RfcScim.MinimalUser());
        var body = UniqueUser();
        body["schemas"]!.AsArray().Add(EnterpriseSchema);
        body[EnterpriseSchema] = new JsonObject { ["employeeNumber"] = "7", ["manager"] = new JsonObject { ["value"] = manager } };

        var user = await (await tenant.Client.PostJsonAsync("Users", body)).ExpectRfcAsync(HttpStatusCode.Created);

        Assert.Contains(EnterpriseSchema, Strings(user["schemas"]));
        Assert.Equal("7", user[EnterpriseSchema]!["employeeNumber"]!.GetValue<string>());
        Assert.Equal(manager, user[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
    }

    // Scenario C-23. Rule R-GEN-3, R-ERR-3: a body that is not JSON → 400 invalidSyntax.
    [Fact]
    public async Task C23_PostMalformedJsonIs400InvalidSyntax()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.SendJsonAsync(HttpMethod.Post, "Users", "{")).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
    }

    // Rule R-CRUD-1, R-ERR-3 [RFC]: a body without schemas, or whose schemas lacks the core URN → 400 invalidSyntax.
    [Fact]
    public async Task PostWithoutCoreSchemaIs400InvalidSyntax()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var missing = UniqueUser();
        missing.Remove("schemas");
        var wrong = UniqueUser();
        wrong["schemas"] = new JsonArray(GroupSchema);

        await (await tenant.Client.PostJsonAsync("Users", missing)).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await (await tenant.Client.PostJsonAsync("Users", wrong)).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
    }

    // Scenario C-25. Rule R-CRUD-3, R-USR-11: GET by id shows what was created, without password, with its ETag (R-ETAG-1).
    [Fact]
    public async Task C25_GetUserByIdReturnsTheCreatedDataWithItsETag()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body["password"] = "p";
        var created = await (await tenant.Client.PostJsonAsync("Users", body)).ExpectRfcAsync(HttpStatusCode.Created);

        var response = await tenant.Client.GetAsync($"Users/{Id(created)}");
        var read = await response.ExpectRfcAsync(HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(created, read), $"{created.ToJsonString()}\n{read.ToJsonString()}");
        Assert.Null(read["password"]);
        Assert.Equal(read["meta"]!["version"]!.GetValue<string>(), RfcScim.ETag(response));
    }

    // Scenario C-26. Rule R-CRUD-3, R-ERR-5: an unknown id → 404 with an Error body.
    [Fact]
    public async Task C26_GetUnknownUserIdIsNotFound()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync("Users/010101010101")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
    }

    // Scenario C-94. Rule R-META-1: an id in a foreign format (Okta's probe) → 404, never 400.
    [Fact]
    public async Task C94_GetUserWithForeignIdFormatIsNotFound()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync("Users/00000000000000000000")).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
    }

    // Scenario C-27. Rule R-LST-1, R-FLT-2: a filter answers a ListResponse.
    [Fact]
    public async Task C27_FilterByUserNameReturnsTheUserInAListResponse()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var list = await tenant.Client.GetRfcAsync(FilterQuery("Users", "userName eq \"ruth@x.com\""));

        Assert.Equal(ListSchema, Assert.Single(list["schemas"]!.AsArray())!.GetValue<string>());
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(id, list["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(new Uri(tenant.Client.BaseAddress!, $"Users/{id}").ToString(), list["Resources"]![0]!["meta"]!["location"]!.GetValue<string>());
    }

    // Scenario C-28. Rule R-GEN-6, R-FLT-2: a form-encoded filter with another letter case finds the user.
    [Fact]
    public async Task C28_FormEncodedUpperCaseUserNameFilterFindsTheUser()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var list = await tenant.Client.GetRfcAsync("Users?filter=userName+eq+%22RUTH%40X.COM%22");

        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
    }

    // Scenario C-29. Rule R-LST-1, R-ENT-3: no match → 200, totalResults 0, Resources [].
    [Fact]
    public async Task C29_FilterWithNoMatchReturns200WithZeroResultsAndEmptyResources()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        var list = await tenant.Client.GetRfcAsync(FilterQuery("Users", "userName eq \"nobody@x.com\""));

        Assert.Equal(0, list["totalResults"]!.GetValue<int>());
        Assert.Empty(list["Resources"]!.AsArray());
    }

    // Scenario C-30. Rule R-FLT-2, R-USR-8: externalId is caseExact.
    [Fact]
    public async Task C30_ExternalIdFilterIsCaseExact()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());

        Assert.Equal(1, await tenant.Client.TotalAsync("Users", "externalId eq \"ext-1\""));
        Assert.Equal(0, await tenant.Client.TotalAsync("Users", "externalId eq \"EXT-1\""));
    }

    // Scenario C-37. Rule R-FLT-4: a malformed filter → 400 invalidFilter.
    [Fact]
    public async Task C37_FilterMissingItsValueIs400InvalidFilter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.GetAsync(FilterQuery("Users", "userName eq"))).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");
    }

    // Scenario C-38. Rule R-LST-1, R-LST-2: count and startIndex; totalResults is the integer total.
    [Fact]
    public async Task C38_CountOneStartIndexOneReturnsOneItemAndIntegerTotalOfThree()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUsersAsync(fixture, 3);

        var list = await tenant.Client.GetRfcAsync("Users?count=1&startIndex=1");

        Assert.Equal(1, list["itemsPerPage"]!.GetValue<int>());
        Assert.Single(list["Resources"]!.AsArray());
        Assert.Equal(3, list["totalResults"]!.GetValue<int>());
    }

    // Scenario C-39. Rule R-LST-2 [RFC]: startIndex below 1 reads as 1; pages are disjoint and stable.
    [Fact]
    public async Task C39_PagesFromStartIndexZeroAndThreeAreDisjointAndStable()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var created = await tenant.Client.CreateUsersAsync(fixture, 3);

        var first = await tenant.Client.GetRfcAsync("Users?startIndex=0&count=2");
        var second = await tenant.Client.GetRfcAsync("Users?startIndex=3&count=2");

        Assert.Equal(1, first["startIndex"]!.GetValue<int>());
        Assert.Equal(2, RfcScim.Ids(first).Count);
        Assert.Single(RfcScim.Ids(second));
        Assert.Empty(RfcScim.Ids(first).Intersect(RfcScim.Ids(second)));
        Assert.Equal(created.Order(), RfcScim.Ids(first).Concat(RfcScim.Ids(second)).Order());
        Assert.Equal(RfcScim.Ids(first), RfcScim.Ids(await tenant.Client.GetRfcAsync("Users?startIndex=0&count=2")));
    }

    // Scenario C-40. Rule R-LST-2 [RFC]: count=0 answers only the total; a negative count reads as 0, one above 100 as 100.
    [Fact]
    public async Task C40_CountZeroReturnsOnlyTheTotal()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUsersAsync(fixture, 3);

        foreach (var count in new[] { "0", "-5" })
        {
            var list = await tenant.Client.GetRfcAsync($"Users?count={count}");
            Assert.Equal(3, list["totalResults"]!.GetValue<int>());
            Assert.Empty(list["Resources"]!.AsArray());
        }
        Assert.Equal(3, RfcScim.Ids(await tenant.Client.GetRfcAsync("Users?count=101")).Count);
    }

    // Scenario C-43. Rule R-CRUD-7: attributes=userName → only schemas, id and userName (meta is returned by default, not always).
    [Fact]
    public async Task C43_AttributesParameterReturnsOnlyTheNamedAttributeWithIdAndSchemas()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await tenant.Client.GetRfcAsync($"Users/{id}?attributes=userName");

        Assert.Equal(new[] { "id", "schemas", "userName" }, user.Select(p => p.Key).Order());
    }

    // Rule R-CRUD-7, R-META-5: sub-attributes and URN-qualified names, in any case; excludedAttributes never removes id or schemas;
    // the projection shapes write answers and lists too.
    [Fact]
    public async Task ProjectionAppliesToSubAttributesExtensionsWritesAndLists()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body["schemas"]!.AsArray().Add(EnterpriseSchema);
        body[EnterpriseSchema] = new JsonObject { ["employeeNumber"] = "7", ["department"] = "R&D" };
        var created = await (await tenant.Client.PostJsonAsync("Users?attributes=EMAILS.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", body))
            .ExpectRfcAsync(HttpStatusCode.Created);

        Assert.Equal(new[] { "emails", "id", "schemas", EnterpriseSchema }.Order(), created.Select(p => p.Key).Order());
        Assert.Equal("ruth@x.com", Assert.Single(created["emails"]!.AsArray())!.AsObject().Single().Value!.GetValue<string>());
        Assert.Equal("7", created[EnterpriseSchema]!.AsObject().Single().Value!.GetValue<string>());

        var id = Id(created);
        var excluded = await tenant.Client.GetRfcAsync($"Users/{id}?excludedAttributes=id,schemas,meta,emails,{EnterpriseSchema}");
        Assert.Equal(id, Id(excluded));
        Assert.Equal(new[] { UserSchema }, Strings(excluded["schemas"]));
        Assert.Null(excluded["meta"]);
        Assert.Null(excluded["emails"]);
        Assert.NotNull(excluded["userName"]);

        var listed = (await tenant.Client.GetRfcAsync("Users?attributes=meta.version"))["Resources"]!.AsArray().Single()!.AsObject();
        Assert.Equal(new[] { "id", "meta", "schemas" }, listed.Select(p => p.Key).Order());
        Assert.Equal("W/\"1\"", Assert.Single(listed["meta"]!.AsObject()).Value!.GetValue<string>());
    }

    // Scenario C-44. Rule R-SRCH-1: POST /Users/.search with a SearchRequest → a ListResponse.
    [Fact]
    public async Task C44_SearchUsersByPostReturnsAListResponse()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        await tenant.Client.CreateUserAsync(UniqueUser());

        var list = await (await tenant.Client.PostJsonAsync("Users/.search", RfcScim.Search("userName eq \"ruth@x.com\"")))
            .ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(ListSchema, list["schemas"]![0]!.GetValue<string>());
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(id, Assert.Single(RfcScim.Ids(list)));
    }

    // Rule R-SRCH-1: the search body pages and projects like the query string; a body without the SearchRequest URN → 400 invalidSyntax.
    [Fact]
    public async Task SearchBodyPagesAndProjectsAndNeedsItsSchema()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUsersAsync(fixture, 3);
        var search = RfcScim.Search(startIndex: 2, count: 1);
        search["attributes"] = new JsonArray("userName");

        var list = await (await tenant.Client.PostJsonAsync("Users/.search", search)).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(3, list["totalResults"]!.GetValue<int>());
        Assert.Equal(2, list["startIndex"]!.GetValue<int>());
        Assert.Equal(new[] { "id", "schemas", "userName" }, Assert.Single(list["Resources"]!.AsArray())!.AsObject().Select(p => p.Key).Order());
        await (await tenant.Client.PostJsonAsync("Users/.search", new JsonObject { ["filter"] = "userName pr" }))
            .ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
    }

    // Rule R-SRCH-1: POST /.search at the root spans users and then groups, one index over both.
    [Fact]
    public async Task SearchAtTheRootSpansUsersAndGroups()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var users = await tenant.Client.CreateUsersAsync(fixture, 2);
        var group = await tenant.Client.CreateGroupAsync("Root");

        var all = await (await tenant.Client.PostJsonAsync(".search", RfcScim.Search())).ExpectRfcAsync(HttpStatusCode.OK);
        var last = await (await tenant.Client.PostJsonAsync(".search", RfcScim.Search(startIndex: 3, count: 5))).ExpectRfcAsync(HttpStatusCode.OK);
        var named = await (await tenant.Client.PostJsonAsync(".search", RfcScim.Search("displayName eq \"Root\""))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(3, all["totalResults"]!.GetValue<int>());
        Assert.Equal(users.Append(group), RfcScim.Ids(all));
        Assert.Equal(new[] { group }, RfcScim.Ids(last));
        Assert.Equal(3, last["totalResults"]!.GetValue<int>());
        Assert.Equal(new[] { group }, RfcScim.Ids(named));
    }

    // Scenario C-46. Rule R-CRUD-4, R-META-1, R-META-4: PUT of the GET body (id, meta included) replaces; id and created stay;
    // lastModified and the version move on.
    [Fact]
    public async Task C46_PutReplacesUserKeepsIdAndCreatedAndAdvancesLastModified()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var before = await tenant.Client.GetRfcAsync($"Users/{id}");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var body = (JsonObject)before.DeepClone();
        body["displayName"] = "R2";
        body["password"] = "p";

        var response = await tenant.Client.PutJsonAsync($"Users/{id}", body);
        var after = await response.ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal("R2", after["displayName"]!.GetValue<string>());
        Assert.Equal(id, Id(after));
        Assert.Equal(Created(before), Created(after));
        Assert.True(LastModified(after) > LastModified(before));
        Assert.Equal("W/\"2\"", RfcScim.ETag(response));
    }

    // Scenario C-47. Rule R-CRUD-4: an attribute the PUT omits is cleared.
    [Fact]
    public async Task C47_PutWithoutNickNameClearsIt()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body["nickName"] = "Ruthie";
        var id = await tenant.Client.CreateUserAsync(body);
        body.Remove("nickName");

        var after = await (await tenant.Client.PutJsonAsync($"Users/{id}", body)).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Null(after["nickName"]);
        Assert.Null((await tenant.Client.GetRfcAsync($"Users/{id}"))["nickName"]);
    }

    // Scenario C-48. Rule R-CRUD-4, R-USR-8: PUT taking another user's userName → 409 uniqueness.
    [Fact]
    public async Task C48_PutTakingAnotherUsersUserNameIs409()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());
        var other = await tenant.Client.CreateUserAsync(RfcScim.MinimalUser("user2@x.com"));

        await (await tenant.Client.PutJsonAsync($"Users/{other}", RfcScim.MinimalUser("ruth@x.com"))).ExpectRfcErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    // Scenario C-49. Rule R-CRUD-4: PUT never creates → 404.
    [Fact]
    public async Task C49_PutToUnknownIdIsNotFoundAndCreatesNothing()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        await (await tenant.Client.PutJsonAsync($"Users/{Guid.NewGuid()}", UniqueUser())).ExpectRfcErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await tenant.Client.GetRfcAsync("Users"))["totalResults"]!.GetValue<int>());
    }

    // Scenario C-93. Rule R-PAT-14: null and [] are unassigned on POST.
    [Fact]
    public async Task C93_PostUserWithNullAndEmptyValuesStoresNothingForThem()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = UniqueUser();
        body["title"] = null;
        body["addresses"] = null;
        body["roles"] = new JsonArray();

        var user = await (await tenant.Client.PostJsonAsync("Users", body)).ExpectRfcAsync(HttpStatusCode.Created);

        Assert.False(user.ContainsKey("title") || user.ContainsKey("addresses") || user.ContainsKey("roles"), user.ToJsonString());
    }

    // Scenario C-95. Rule R-LST-2: one item per page, each page a different user.
    [Fact]
    public async Task C95_PagingByStartIndexReturnsDistinctUsers()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUsersAsync(fixture, 3);

        var pages = new List<string>();
        foreach (var startIndex in new[] { 1, 2, 3 })
            pages.Add(Assert.Single(RfcScim.Ids(await tenant.Client.GetRfcAsync($"Users?startIndex={startIndex}&count=1"))));

        Assert.Equal(3, pages.Distinct().Count());
    }

    // Rule R-USR-2, R-USR-7 [RFC]: several values per multi-valued attribute, the attributes the aws profile refuses, and the
    // derived readOnly groups, which a body cannot set.
    [Fact]
    public async Task UsersHoldManyValuesAllAttributesAndTheirGroups()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = UniqueUser();
        body["emails"]!.AsArray().Add(new JsonObject { ["value"] = "home@x.com", ["type"] = "home" });
        body["ims"] = new JsonArray(new JsonObject { ["value"] = "ruth", ["type"] = "xmpp" });
        body["x509Certificates"] = new JsonArray(new JsonObject { ["value"] = Convert.ToBase64String("cert"u8) });
        body["groups"] = new JsonArray(new JsonObject { ["value"] = "not-a-group" });
        var id = await tenant.Client.CreateUserAsync(body);
        var group = await tenant.Client.CreateGroupAsync("Team");
        await (await tenant.Client.PatchJsonAsync($"Groups/{group}", Op("add", "members", Members([id])))).ExpectRfcAsync(HttpStatusCode.OK);

        var user = await tenant.Client.GetRfcAsync($"Users/{id}");

        Assert.Equal(2, user["emails"]!.AsArray().Count);
        Assert.Equal("xmpp", user["ims"]![0]!["type"]!.GetValue<string>());
        Assert.NotNull(user["x509Certificates"]);
        var membership = Assert.Single(user["groups"]!.AsArray())!;
        Assert.Equal(group, membership["value"]!.GetValue<string>());
        Assert.Equal(new Uri(tenant.Client.BaseAddress!, $"Groups/{group}").ToString(), membership["$ref"]!.GetValue<string>());
        Assert.Null((await tenant.Client.GetRfcAsync($"Users/{id}?excludedAttributes=groups"))["groups"]);
    }

    // Rule R-USR-7 [RFC]: at most one primary value, and type values unique within an attribute (Entra).
    [Fact]
    public async Task TwoPrimaryValuesOrARepeatedTypeAreRefused()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var twoPrimaries = UniqueUser();
        twoPrimaries["emails"]!.AsArray().Add(new JsonObject { ["value"] = "home@x.com", ["type"] = "home", ["primary"] = true });
        var twoWork = UniqueUser();
        twoWork["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = "1", ["type"] = "work" }, new JsonObject { ["value"] = "2", ["type"] = "Work" });

        await (await tenant.Client.PostJsonAsync("Users", twoPrimaries)).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await tenant.Client.PostJsonAsync("Users", twoWork)).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    // Rule O-3: the directory's data is the same under both profiles; each shows it as it shows a resource.
    [Fact]
    public async Task SwitchingProfilesKeepsTheData()
    {
        var tenant = await fixture.CreateTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var asAws = await tenant.Client.GetUserAsync(id);

        await fixture.ChangeSettingsAsync(tenant, new JsonObject());
        var asRfc = await tenant.Client.GetRfcAsync($"Users/{id}");
        await fixture.ChangeSettingsAsync(tenant, new JsonObject(), profile: "aws");
        var awsAgain = await tenant.Client.GetAsync($"Users/{id}");

        Assert.Equal("application/json", awsAgain.Content.Headers.ContentType!.MediaType);
        Assert.True(JsonNode.DeepEquals(asAws, await awsAgain.ReadJsonAsync()));
        foreach (var (key, value) in asAws.Where(p => p.Key != "meta"))
            Assert.True(JsonNode.DeepEquals(value, asRfc[key]), key);
        Assert.NotNull(asRfc["meta"]!["location"]);
        Assert.Null(asAws["meta"]!["location"]);
    }
}
