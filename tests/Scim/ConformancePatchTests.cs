using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

/// <summary>Conformance scenarios of SCIM-RULES.md §13, aws profile: user PUT and PATCH.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConformancePatchTests(GatewayFixture fixture)
{
    // Rule R-CRUD-4, R-META-1, R-META-2, R-META-4
    [Fact]
    public async Task C46_PutReplacesUserKeepsIdAndCreatedAndAdvancesLastModified()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var created = await client.CreateUserBodyAsync(User());
        var id = ConformanceChecks.Id(created);
        var fetched = await client.GetUserAsync(id); // the C-25 body, id and meta included

        var body = (JsonObject)fetched.DeepClone();
        body["displayName"] = "R2";
        var replaced = await (await client.PutJsonAsync($"Users/{id}", body)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("R2", replaced["displayName"]!.GetValue<string>());
        Assert.Equal(id, ConformanceChecks.Id(replaced));
        Assert.Equal(ConformanceChecks.Created(created), ConformanceChecks.Created(replaced));
        Assert.True(ConformanceChecks.LastModified(replaced) >= ConformanceChecks.LastModified(fetched));

        fixture.Time.Advance(TimeSpan.FromSeconds(3)); // more than a second after the last write
        var second = (JsonObject)replaced.DeepClone();
        second["displayName"] = "R3";
        var later = await (await client.PutJsonAsync($"Users/{id}", second)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("R3", later["displayName"]!.GetValue<string>());
        Assert.Equal(id, ConformanceChecks.Id(later));
        Assert.Equal(ConformanceChecks.Created(created), ConformanceChecks.Created(later));
        Assert.True(ConformanceChecks.LastModified(later) > ConformanceChecks.LastModified(replaced),
            $"lastModified {later["meta"]!["lastModified"]} is not later than {replaced["meta"]!["lastModified"]}");
        Assert.True(ConformanceChecks.LastModified(later) <= fixture.Time.GetUtcNow());

        var after = await client.GetUserAsync(id);
        Assert.Equal("R3", after["displayName"]!.GetValue<string>());
        Assert.Equal(ConformanceChecks.Created(created), ConformanceChecks.Created(after));
        Assert.Equal(ConformanceChecks.LastModified(later), ConformanceChecks.LastModified(after));
    }

    // Rule R-CRUD-4 (omitted attributes are cleared)
    [Fact]
    public async Task C47_PutWithoutNickNameClearsIt()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var user = User();
        user["nickName"] = "Ruthie";
        var id = ConformanceChecks.Id(await client.CreateUserBodyAsync(user));
        var fetched = await client.GetUserAsync(id);
        Assert.Equal("Ruthie", fetched["nickName"]!.GetValue<string>());

        var body = (JsonObject)fetched.DeepClone();
        body.Remove("nickName");
        var replaced = await (await client.PutJsonAsync($"Users/{id}", body)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(replaced.ContainsKey("nickName"), replaced.ToJsonString());
        Assert.False((await client.GetUserAsync(id)).ContainsKey("nickName"));
    }

    // Rule R-CRUD-4, R-USR-8 (userName unique per tenant → 409 uniqueness)
    [Fact]
    public async Task C48_PutTakingAnotherUsersUserNameIsConflict()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        await client.CreateUserAsync(User());
        var user2 = UniqueUser();
        var id2 = await client.CreateUserAsync(user2);
        var before = await client.GetUserAsync(id2);

        var body = (JsonObject)user2.DeepClone();
        body["userName"] = "ruth@x.com"; // its own email and externalId, so only userName clashes
        await (await client.PutJsonAsync($"Users/{id2}", body)).ErrAsync(HttpStatusCode.Conflict, "uniqueness");

        Assert.True(JsonNode.DeepEquals(before, await client.GetUserAsync(id2)), "user2 changed by a refused PUT");
    }

    // Rule R-CRUD-4 (PUT never creates), R-ERR-5
    [Fact]
    public async Task C49_PutToUnknownIdIsNotFoundAndCreatesNothing()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = Guid.NewGuid().ToString();
        var user = UniqueUser();
        await (await client.PutJsonAsync($"Users/{id}", user)).ErrAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"Users/{id}")).ErrAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await client.TotalAsync("Users", $"userName eq \"{user["userName"]}\""));
    }

    // Rule R-PAT-3 (200 + full user), R-USR-10 (inactive users stay visible)
    [Fact]
    public async Task C50_PatchReplaceActiveFalseReturnsFullUserStillFoundByFilter()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("replace", "active", false))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.False, patched["active"]!.GetValueKind());
        ConformanceChecks.AssertFullUser(patched, id, "ruth@x.com");

        var list = await client.ListAsync("Users", "userName eq \"ruth@x.com\"");
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(id, ConformanceChecks.Id((JsonObject)list["Resources"]![0]!));
        Assert.Equal(JsonValueKind.False, list["Resources"]![0]!["active"]!.GetValueKind());
    }

    // Rule R-PAT-1 (op case-insensitive), R-PAT-8 (boolean strings coerced)
    [Fact]
    public async Task C51_PatchReplaceActiveWithStringTrueStoresBoolean()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        await (await client.PatchJsonAsync($"Users/{id}", Op("replace", "active", false))).ExpectAsync(HttpStatusCode.OK);

        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("Replace", "active", "True"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.True, patched["active"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, (await client.GetUserAsync(id))["active"]!.GetValueKind());
    }

    // Rule R-PAT-7 (pathless replace with dotted and URN keys)
    [Fact]
    public async Task C52_PathlessReplaceWithDottedAndUrnKeysUpdatesAllThree()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        var value = new JsonObject
        {
            ["displayName"] = "D",
            ["name.givenName"] = "G",
            [$"{EnterpriseSchema}:employeeNumber"] = "9",
        };
        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("replace", null, value))).ExpectAsync(HttpStatusCode.OK);
        foreach (var user in new[] { patched, await client.GetUserAsync(id) })
        {
            Assert.Equal("D", user["displayName"]!.GetValue<string>());
            Assert.Equal("G", user["name"]!["givenName"]!.GetValue<string>());
            Assert.Equal("R", user["name"]!["familyName"]!.GetValue<string>()); // the dotted key touched only givenName
            Assert.Equal("9", user[EnterpriseSchema]!["employeeNumber"]!.GetValue<string>());
            Assert.Contains(EnterpriseSchema, ConformanceChecks.Strings(user["schemas"]));
        }
    }

    // Rule R-PAT-1 (op "Replace"), R-PAT-7 (filtered sub-attribute path)
    [Fact]
    public async Task C53_PatchReplaceWorkEmailValueByFilter()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("Replace", "emails[type eq \"work\"].value", "r2@x.com")))
            .ExpectAsync(HttpStatusCode.OK);
        foreach (var user in new[] { patched, await client.GetUserAsync(id) })
        {
            var emails = user["emails"]!.AsArray();
            Assert.Single(emails);
            Assert.Equal("r2@x.com", emails[0]!["value"]!.GetValue<string>());
            Assert.Equal("work", emails[0]!["type"]!.GetValue<string>());
            Assert.True(emails[0]!["primary"]!.GetValue<bool>());
        }
    }

    // Rule R-PAT-7, R-PAT-5, R-USR-5, R-PAT-2. The table expects Err(400, noTarget); R-PAT-5/R-PAT-7 instead
    // create a home email for a sub-attribute path, which R-USR-5 refuses (one email) → 400 invalidValue.
    // Either way: 400 with a SCIM error and the user unchanged.
    [Fact]
    public async Task C54_PatchReplaceHomeEmailValueWhenOnlyWorkEmailIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        var before = await client.GetUserAsync(id);

        var error = await (await client.PatchJsonAsync($"Users/{id}", Op("replace", "emails[type eq \"home\"].value", "home@x.com")))
            .ErrAsync(HttpStatusCode.BadRequest);
        Assert.Contains(error["scimType"]!.GetValue<string>(), new[] { "noTarget", "invalidValue" });
        Assert.True(JsonNode.DeepEquals(before, await client.GetUserAsync(id)), "user changed by a refused PATCH");
    }

    // Rule R-PAT-6 (remove requires a path → 400 noTarget)
    [Fact]
    public async Task C55_PatchRemoveWithoutPathIsNoTarget()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        var before = await client.GetUserAsync(id);

        await (await client.PatchJsonAsync($"Users/{id}", new JsonObject { ["op"] = "remove" })).ErrAsync(HttpStatusCode.BadRequest, "noTarget");
        Assert.True(JsonNode.DeepEquals(before, await client.GetUserAsync(id)));
    }

    // Rule R-PAT-6 (removing a required attribute → mutability), R-PAT-10
    [Fact]
    public async Task C56_PatchRemoveUserNameIsMutabilityError()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        await (await client.PatchJsonAsync($"Users/{id}", Op("remove", "userName"))).ErrAsync(HttpStatusCode.BadRequest, "mutability");
        Assert.Equal("ruth@x.com", (await client.GetUserAsync(id))["userName"]!.GetValue<string>());
    }

    // Rule R-PAT-10 (at most one operation on active per request), R-PAT-2
    [Fact]
    public async Task C57_PatchWithTwoOperationsOnActiveIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        await (await client.PatchJsonAsync($"Users/{id}", Op("replace", "active", false), Op("replace", "active", false)))
            .ErrAsync(HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.True, (await client.GetUserAsync(id))["active"]!.GetValueKind());
    }

    // Rule R-PAT-1 (op must be add, remove or replace)
    [Fact]
    public async Task C58_PatchOpMoveIsRefused()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        var before = await client.GetUserAsync(id);

        await (await client.PatchJsonAsync($"Users/{id}", new JsonObject { ["op"] = "move", ["path"] = "displayName", ["value"] = "M" }))
            .ErrAsync(HttpStatusCode.BadRequest);
        Assert.True(JsonNode.DeepEquals(before, await client.GetUserAsync(id)));
    }

    // Rule R-PAT-2 (atomic: a failing last operation leaves the resource unchanged)
    [Fact]
    public async Task C59_PatchFailingOnLastOperationChangesNothing()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        var before = await client.GetUserAsync(id);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        await (await client.PatchJsonAsync($"Users/{id}",
                Op("replace", "displayName", "Z"),
                Op("replace", "emails[type eq \"none\"].value", "none@x.com")))
            .ErrAsync(HttpStatusCode.BadRequest);
        var after = await client.GetUserAsync(id);
        Assert.Equal("Ruth R", after["displayName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before, after), $"before {before.ToJsonString()}\nafter {after.ToJsonString()}");
    }

    // Rule R-PAT-5 (adding a value already present is a no-op), R-META-4
    [Fact]
    public async Task C60_PatchAddingCurrentNickNameKeepsLastModified()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var user = User();
        user["nickName"] = "Ruthie";
        var id = await client.CreateUserAsync(user);
        var before = await client.GetUserAsync(id);
        fixture.Time.Advance(TimeSpan.FromSeconds(5)); // a write now would show in lastModified

        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("add", "nickName", "Ruthie"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ruthie", patched["nickName"]!.GetValue<string>());
        Assert.Equal(before["meta"]!["lastModified"]!.GetValue<string>(), patched["meta"]!["lastModified"]!.GetValue<string>());
        Assert.Equal(before["meta"]!["lastModified"]!.GetValue<string>(), (await client.GetUserAsync(id))["meta"]!["lastModified"]!.GetValue<string>());
    }

    // Rule R-PAT-13 (uniqueness re-checked after PATCH), R-USR-8 (userName case-insensitive)
    [Fact]
    public async Task C61_PatchReplaceUserNameWithAnotherUsersIsConflict()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        await client.CreateUserAsync(User());
        var id2 = await client.CreateUserAsync(UniqueUser());
        var before = await client.GetUserAsync(id2);

        await (await client.PatchJsonAsync($"Users/{id2}", Op("replace", "userName", "ruth@x.com"))).ErrAsync(HttpStatusCode.Conflict, "uniqueness");
        await (await client.PatchJsonAsync($"Users/{id2}", Op("replace", "userName", "RUTH@X.COM"))).ErrAsync(HttpStatusCode.Conflict, "uniqueness");
        Assert.True(JsonNode.DeepEquals(before, await client.GetUserAsync(id2)));
    }

    // Rule R-PAT-8 (manager as bare string id; unqualified path "manager"; one-element array unwrapped), R-USR-1, R-FLT-6
    [Fact]
    public async Task C89_PatchManagerAsBareIdThenAsArrayUnderUnqualifiedPath()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var u1 = await client.CreateUserAsync(UniqueUser());
        var u2 = await client.CreateUserAsync(UniqueUser());
        var id = await client.CreateUserAsync(User());

        var first = await (await client.PatchJsonAsync($"Users/{id}", Op("Add", $"{EnterpriseSchema}:manager", u2))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(u2, first[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
        Assert.Contains(EnterpriseSchema, ConformanceChecks.Strings(first["schemas"]));

        var second = await (await client.PatchJsonAsync($"Users/{id}", Op("Replace", "manager", new JsonArray(new JsonObject { ["value"] = u1 }))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(u1, second[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
        Assert.Equal(u1, (await client.GetUserAsync(id))[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
        Assert.Equal(1, await client.TotalAsync("Users", $"id eq \"{id}\" and manager eq \"{u1}\""));
        Assert.Equal(0, await client.TotalAsync("Users", $"id eq \"{id}\" and manager eq \"{u2}\""));
    }

    // Rule R-PAT-5 (add on a filtered sub-attribute path with no match creates the element)
    [Fact]
    public async Task C90_PatchAddMobilePhoneValueCreatesTheElement()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());
        Assert.False((await client.GetUserAsync(id)).ContainsKey("phoneNumbers"));

        var patched = await (await client.PatchJsonAsync($"Users/{id}", Op("Add", "phoneNumbers[type eq \"mobile\"].value", "+1 555 0100")))
            .ExpectAsync(HttpStatusCode.OK);
        foreach (var user in new[] { patched, await client.GetUserAsync(id) })
        {
            var phones = user["phoneNumbers"]!.AsArray();
            Assert.Single(phones);
            Assert.Equal("mobile", phones[0]!["type"]!.GetValue<string>());
            Assert.Equal("+1 555 0100", phones[0]!["value"]!.GetValue<string>());
        }
    }

    // Rule R-USR-4 (password accepted and ignored on PATCH), R-USR-11 (never returned)
    [Fact]
    public async Task C92_PatchReplacePasswordSucceedsAndIsNeverReturned()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var id = await client.CreateUserAsync(User());

        var response = await client.PatchJsonAsync($"Users/{id}", Op("replace", "password", "S3cret!"));
        var text = await response.Content.ReadAsStringAsync();
        var patched = await response.ExpectAsync(HttpStatusCode.OK);
        ConformanceChecks.AssertFullUser(patched, id, "ruth@x.com");
        Assert.DoesNotContain("password", patched.Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("S3cret!", text);

        var get = await client.GetAsync($"Users/{id}");
        var getText = await get.Content.ReadAsStringAsync();
        Assert.DoesNotContain("password", (await get.ExpectAsync(HttpStatusCode.OK)).Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("S3cret!", getText);
    }

    // Rule R-PAT-2 (atomic), R-PAT-6, R-PAT-10, R-PAT-13, R-USR-4, R-USR-5, R-PAT-8: whatever makes the last
    // operation fail, the earlier operations of the request are not committed.
    [Fact]
    public async Task UserPatchFailingOnLastOperationChangesNothing()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var other = UniqueUser();
        await client.CreateUserAsync(other);
        var user = User();
        user["nickName"] = "Ruthie";
        var id = await client.CreateUserAsync(user);
        var before = await client.GetUserAsync(id);

        var cases = new (string Name, HttpStatusCode Status, JsonObject[] Operations)[]
        {
            ("remove userName", HttpStatusCode.BadRequest,
                [Op("replace", "displayName", "Z"), Op("replace", "nickName", "N"), Op("remove", "userName")]),
            ("second email", HttpStatusCode.BadRequest,
                [Op("replace", "displayName", "Z"), Op("add", "emails", new JsonArray(new JsonObject { ["value"] = "two@x.com", ["type"] = "home" }))]),
            ("userName of another user", HttpStatusCode.Conflict,
                [Op("replace", "displayName", "Z"), Op("replace", "userName", other["userName"]!.GetValue<string>())]),
            ("email of another user", HttpStatusCode.Conflict,
                [Op("replace", "title", "T"), Op("replace", "emails[type eq \"work\"].value", other["userName"]!.GetValue<string>().ToUpperInvariant())]),
            ("non-boolean active", HttpStatusCode.BadRequest,
                [Op("replace", "name.givenName", "Q"), Op("replace", "active", "maybe")]),
            ("unsupported attribute", HttpStatusCode.BadRequest,
                [Op("add", $"{EnterpriseSchema}:employeeNumber", "5"), Op("add", "ims", new JsonArray(new JsonObject { ["value"] = "im" }))]),
            ("unknown attribute", HttpStatusCode.BadRequest,
                [Op("replace", null, new JsonObject { ["displayName"] = "Z", ["locale"] = "fr-FR" }), Op("replace", "noSuchAttribute", "x")]),
            ("read-only id", HttpStatusCode.BadRequest,
                [Op("replace", "displayName", "Z"), Op("replace", "id", "x")]),
            ("remove required name part", HttpStatusCode.BadRequest,
                [Op("replace", "displayName", "Z"), Op("remove", "name.familyName")]),
        };
        foreach (var (name, status, operations) in cases)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(2)); // a commit would move lastModified
            var response = await client.PatchJsonAsync($"Users/{id}", operations);
            Assert.True(response.StatusCode == status, $"{name}: expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await response.ErrAsync(status);
            var after = await client.GetUserAsync(id);
            Assert.True(JsonNode.DeepEquals(before, after), $"{name}: user changed\nbefore {before.ToJsonString()}\nafter  {after.ToJsonString()}");
        }
    }
}

/// <summary>Helpers of the conformance tests: the stricter error check of R-ERR-1, reads, filters, meta.</summary>
internal static class ConformanceChecks
{
    /// <summary>Err(n, t) plus what R-ERR-1 adds for this product: the singular <c>schema</c> key and a scimType on 400/409.</summary>
    public static async Task<JsonObject> ErrAsync(this HttpResponseMessage response, HttpStatusCode status, string? scimType = null)
    {
        var body = await response.ExpectErrorAsync(status, scimType);
        Assert.Contains(ErrorSchema, Strings(body["schema"]));
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
            Assert.False(string.IsNullOrEmpty(body["scimType"]?.GetValue<string>()), $"no scimType on {(int)status}: {body.ToJsonString()}");
        return body;
    }

    public static async Task ExpectNoContentAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204, got {(int)response.StatusCode}: {text}");
        Assert.Equal("", text);
    }

    public static async Task<JsonObject> CreateUserBodyAsync(this HttpClient client, JsonObject user) =>
        await (await client.PostJsonAsync("Users", user)).ExpectAsync(HttpStatusCode.Created);

    public static async Task<JsonObject> GetUserAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"Users/{id}")).ExpectAsync(HttpStatusCode.OK);

    public static async Task<JsonObject> GetGroupAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"Groups/{id}")).ExpectAsync(HttpStatusCode.OK);

    public static string FilterQuery(string resource, string filter) => $"{resource}?filter={Uri.EscapeDataString(filter)}";

    public static async Task<JsonObject> ListAsync(this HttpClient client, string resource, string filter) =>
        await (await client.GetAsync(FilterQuery(resource, filter))).ExpectAsync(HttpStatusCode.OK);

    public static async Task<int> TotalAsync(this HttpClient client, string resource, string filter)
    {
        var list = await client.ListAsync(resource, filter);
        Assert.Equal(JsonValueKind.Number, list["totalResults"]!.GetValueKind());
        return list["totalResults"]!.GetValue<int>();
    }

    public static string MembershipFilter(string groupId, string userId) => $"id eq \"{groupId}\" and members eq \"{userId}\"";

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static DateTimeOffset Created(JsonObject resource) => Instant(resource["meta"]!["created"]!);

    public static DateTimeOffset LastModified(JsonObject resource) => Instant(resource["meta"]!["lastModified"]!);

    private static DateTimeOffset Instant(JsonNode node) =>
        DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static IReadOnlyList<string> Strings(JsonNode? array) =>
        array is JsonArray items ? items.Select(i => i!.GetValue<string>()).ToList() : [];

    /// <summary>R-PAT-3: a user PATCH answers with the whole user.</summary>
    public static void AssertFullUser(JsonObject user, string id, string userName)
    {
        Assert.Equal(id, Id(user));
        Assert.Contains(UserSchema, Strings(user["schemas"]));
        Assert.Equal(userName, user["userName"]!.GetValue<string>());
        Assert.NotNull(user["displayName"]);
        Assert.NotNull(user["name"]!["givenName"]);
        Assert.NotNull(user["emails"]);
        Assert.Equal("User", user["meta"]!["resourceType"]!.GetValue<string>());
    }

    /// <summary>
    /// Keeps bulk requests to one tenant under the default SCIM rate limits (R-GEN-7, 25 write TPS), should
    /// the gateway enforce them: every clock is the injected TimeProvider (DESIGN O-6), so moving the fake
    /// clock one second every 20 requests paces them without sleeping.
    /// </summary>
    public static void Pace(GatewayFixture fixture, int requestNumber)
    {
        if (requestNumber > 0 && requestNumber % 20 == 0)
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
    }

    public static async Task<List<string>> CreateUsersAsync(this HttpClient client, GatewayFixture fixture, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            Pace(fixture, i + 1);
            ids.Add(await client.CreateUserAsync(UniqueUser()));
        }
        return ids;
    }

    public static JsonArray Members(IEnumerable<string> userIds) =>
        new(userIds.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray());
}
