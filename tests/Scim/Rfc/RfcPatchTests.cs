using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;
using static IdentityDirectory.Tests.Scim.ConformanceChecks;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios C-50..C-61, C-89, C-90 and C-92 of SCIM-RULES.md §13 (user PATCH) on tenants switched to the rfc profile.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcPatchTests(GatewayFixture fixture)
{
    // Scenario C-50. Rule R-PAT-3, R-PAT-7, R-USR-10: 200 with the user; a disabled user is still found.
    [Fact]
    public async Task C50_PatchReplaceActiveFalseReturnsTheUserStillFoundByFilter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var response = await tenant.Client.PatchJsonAsync($"Users/{id}", Op("replace", "active", false));
        var user = await response.ExpectRfcAsync(HttpStatusCode.OK);

        Assert.False(user["active"]!.GetValue<bool>());
        Assert.Equal("W/\"2\"", RfcScim.ETag(response));
        Assert.Equal(1, await tenant.Client.TotalAsync("Users", "userName eq \"ruth@x.com\""));
    }

    // Scenario C-51. Rule R-PAT-1, R-PAT-8: op names in any case; "True" is read as a boolean.
    [Fact]
    public async Task C51_PatchReplaceActiveWithStringTrueStoresBoolean()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body["active"] = false;
        var id = await tenant.Client.CreateUserAsync(body);

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("Replace", "active", "True"))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.True(user["active"]!.GetValue<bool>());
    }

    // Scenario C-52. Rule R-PAT-7: a pathless replace with dotted and URN keys.
    [Fact]
    public async Task C52_PathlessReplaceWithDottedAndUrnKeysUpdatesAllThree()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("replace", null, new JsonObject
        {
            ["displayName"] = "D",
            ["name.givenName"] = "G",
            [$"{EnterpriseSchema}:employeeNumber"] = "9",
        }))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal("D", user["displayName"]!.GetValue<string>());
        Assert.Equal("G", user["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("R", user["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("9", user[EnterpriseSchema]!["employeeNumber"]!.GetValue<string>());
        Assert.Contains(EnterpriseSchema, Strings(user["schemas"]));
    }

    // Scenario C-53. Rule R-PAT-7, R-FLT-8: replace a value chosen by a value filter.
    [Fact]
    public async Task C53_PatchReplaceWorkEmailValueByFilter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("Replace", "emails[type eq \"work\"].value", "r2@x.com")))
            .ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal("r2@x.com", user["emails"]![0]!["value"]!.GetValue<string>());
    }

    // Scenario C-54 [RFC]. Rule R-PAT-5, R-PAT-7: a filter on a sub-attribute that matches nothing creates the element.
    [Fact]
    public async Task C54_PatchReplaceHomeEmailValueCreatesTheHomeEmail()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("replace", "emails[type eq \"home\"].value", "home@x.com")))
            .ExpectRfcAsync(HttpStatusCode.OK);

        var emails = user["emails"]!.AsArray();
        Assert.Equal(2, emails.Count);
        Assert.Contains(emails, e => e!["type"]!.GetValue<string>() == "work" && e["value"]!.GetValue<string>() == "ruth@x.com");
        Assert.Contains(emails, e => e!["type"]!.GetValue<string>() == "home" && e["value"]!.GetValue<string>() == "home@x.com");
    }

    // Scenario C-55. Rule R-PAT-6: remove without a path → 400 noTarget.
    [Fact]
    public async Task C55_PatchRemoveWithoutPathIsNoTarget()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.PatchJsonAsync($"Users/{id}", new JsonObject { ["op"] = "remove" })).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "noTarget");
    }

    // Scenario C-56. Rule R-PAT-6: removing a required attribute → 400 mutability.
    [Fact]
    public async Task C56_PatchRemoveUserNameIsMutabilityError()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("remove", "userName"))).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "mutability");
    }

    // Scenario C-58. Rule R-PAT-1: op must be add, remove or replace.
    [Fact]
    public async Task C58_PatchOpMoveIsRefused()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("move", "displayName", "X"))).ExpectRfcErrorAsync(HttpStatusCode.BadRequest);
    }

    // Scenario C-59. Rule R-PAT-2: a failing last operation leaves the user unchanged. The rfc profile creates the element of
    // emails[type eq "none"].value (R-PAT-5, as C-54), so the failing operation here is a replace of a filter without a
    // sub-attribute that matches nothing (R-PAT-7: noTarget).
    [Fact]
    public async Task C59_PatchFailingOnLastOperationChangesNothing()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var before = await tenant.Client.GetRfcAsync($"Users/{id}");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        await (await tenant.Client.PatchJsonAsync($"Users/{id}",
                Op("replace", "displayName", "Z"),
                Op("replace", "emails[type eq \"none\"]", new JsonObject { ["value"] = "none@x.com" })))
            .ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "noTarget");

        Assert.True(JsonNode.DeepEquals(before, await tenant.Client.GetRfcAsync($"Users/{id}")));
    }

    // Scenario C-60. Rule R-PAT-5, R-META-4: adding the current value changes nothing, lastModified and version included.
    [Fact]
    public async Task C60_PatchAddingCurrentNickNameKeepsLastModified()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var body = User();
        body["nickName"] = "Ruthie";
        var id = await tenant.Client.CreateUserAsync(body);
        var before = await tenant.Client.GetRfcAsync($"Users/{id}");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        var after = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("add", "nickName", "Ruthie"))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(LastModified(before), LastModified(after));
        Assert.Equal(before["meta"]!["version"]!.GetValue<string>(), after["meta"]!["version"]!.GetValue<string>());
    }

    // Scenario C-61. Rule R-PAT-13: uniqueness is checked after the patch → 409.
    [Fact]
    public async Task C61_PatchReplaceUserNameWithAnotherUsersIsConflict()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        await tenant.Client.CreateUserAsync(User());
        var other = await tenant.Client.CreateUserAsync(RfcScim.MinimalUser());

        await (await tenant.Client.PatchJsonAsync($"Users/{other}", Op("replace", "userName", "ruth@x.com"))).ExpectRfcErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    // Scenario C-89. Rule R-PAT-8: manager as a bare id under the URN path, then as a one-element array under the plain name.
    [Fact]
    public async Task C89_PatchManagerAsBareIdThenAsArrayUnderUnqualifiedPath()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var u1 = await tenant.Client.CreateUserAsync(RfcScim.MinimalUser());
        var u2 = await tenant.Client.CreateUserAsync(RfcScim.MinimalUser());

        var first = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("Add", $"{EnterpriseSchema}:manager", u2))).ExpectRfcAsync(HttpStatusCode.OK);
        var second = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("Replace", "manager", new JsonArray(new JsonObject { ["value"] = u1 }))))
            .ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(u2, first[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
        Assert.Equal(u1, second[EnterpriseSchema]!["manager"]!["value"]!.GetValue<string>());
    }

    // Scenario C-90. Rule R-PAT-5: add on a filtered sub-attribute of an absent attribute creates the one element.
    [Fact]
    public async Task C90_PatchAddMobilePhoneValueCreatesTheElement()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("Add", "phoneNumbers[type eq \"mobile\"].value", "+1 555 0100")))
            .ExpectRfcAsync(HttpStatusCode.OK);

        var phone = Assert.Single(user["phoneNumbers"]!.AsArray())!;
        Assert.Equal("mobile", phone["type"]!.GetValue<string>());
        Assert.Equal("+1 555 0100", phone["value"]!.GetValue<string>());
    }

    // Scenario C-92. Rule R-USR-4, R-USR-11: a password is accepted and never returned.
    [Fact]
    public async Task C92_PatchReplacePasswordSucceedsAndIsNeverReturned()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("replace", "password", "S3cret!"))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Null(user["password"]);
        Assert.DoesNotContain("S3cret", await (await tenant.Client.GetAsync($"Users/{id}")).Content.ReadAsStringAsync());
    }

    // Rule R-USR-7, RFC 7644 §3.5.2: adding a primary value makes the old primary not so.
    [Fact]
    public async Task ANewPrimaryValueClearsTheOldOne()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}",
                Op("add", "emails", new JsonArray(new JsonObject { ["value"] = "home@x.com", ["type"] = "home", ["primary"] = true }))))
            .ExpectRfcAsync(HttpStatusCode.OK);

        var emails = user["emails"]!.AsArray();
        Assert.False(emails.Single(e => e!["type"]!.GetValue<string>() == "work")!["primary"]!.GetValue<bool>());
        Assert.True(emails.Single(e => e!["type"]!.GetValue<string>() == "home")!["primary"]!.GetValue<bool>());
        await (await tenant.Client.PatchJsonAsync($"Users/{id}", Op("add", "emails", new JsonArray(new JsonObject { ["value"] = "w2@x.com", ["type"] = "work" }))))
            .ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidValue"); // R-USR-7: a second "work"
    }

    // Rule R-PAT-1 [RFC]: a PatchOp body without its schemas URN → 400.
    [Fact]
    public async Task PatchWithoutPatchOpSchemaIsRefused()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        await (await tenant.Client.SendJsonAsync(HttpMethod.Patch, $"Users/{id}", """{"Operations":[{"op":"replace","path":"nickName","value":"N"}]}"""))
            .ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
    }

    // Rule R-PAT-3, R-PAT-4 [RFC]: the tenant setting switches user and group PATCH to 204, with the new ETag.
    [Fact]
    public async Task PatchAnswersNoContentWhenTheTenantAsksForIt()
    {
        var tenant = await fixture.CreateRfcTenantAsync(new JsonObject { ["patchNoContent"] = true });
        var id = await tenant.Client.CreateUserAsync(User());
        var group = await tenant.Client.CreateGroupAsync("G");

        var user = await tenant.Client.PatchJsonAsync($"Users/{id}", Op("replace", "nickName", "N"));
        await user.ExpectNoContentAsync();
        Assert.Equal("W/\"2\"", RfcScim.ETag(user));
        await (await tenant.Client.PatchJsonAsync($"Groups/{group}", Op("add", "members", Members([id])))).ExpectNoContentAsync();
        Assert.Equal("N", (await tenant.Client.GetRfcAsync($"Users/{id}"))["nickName"]!.GetValue<string>());
    }

    // Rule R-PAT-4, R-CRUD-7: the projection shapes a PATCH answer.
    [Fact]
    public async Task PatchAnswerHonoursTheProjection()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var user = await (await tenant.Client.PatchJsonAsync($"Users/{id}?attributes=nickName", Op("replace", "nickName", "N"))).ExpectRfcAsync(HttpStatusCode.OK);

        Assert.Equal(new[] { "id", "nickName", "schemas" }, user.Select(p => p.Key).Order());
    }
}
