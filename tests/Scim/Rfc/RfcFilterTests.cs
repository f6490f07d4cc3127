using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;
using static IdentityDirectory.Tests.Scim.ConformanceChecks;

namespace IdentityDirectory.Tests.Scim.Rfc;

/// <summary>Conformance scenarios of SCIM-RULES.md §13 on filters and sorting, on tenants switched to the rfc profile.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RfcFilterTests(GatewayFixture fixture)
{
    private static async Task<JsonObject> FilterAsync(HttpClient client, string resource, string filter) =>
        await client.GetRfcAsync(FilterQuery(resource, filter));

    // Scenario C-31. Rule R-FLT-2: attribute names and operators are case-insensitive.
    [Fact]
    public async Task C31_UpperCaseAttributeAndOperatorFindTheUser()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());

        var list = await FilterAsync(tenant.Client, "Users", "UserName EQ \"ruth@x.com\"");

        Assert.Equal([id], RfcScim.Ids(list));
    }

    // Scenario C-33. Rule R-FLT-1 (sw, and), R-FLT-2 (userName is not caseExact), R-FLT-3 (a boolean compared with eq).
    [Fact]
    public async Task C33_StartsWithInAnotherCaseAndActiveFindTheUser()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        await tenant.Client.CreateUserAsync(User("other@x.com", externalId: "ext-2"));

        var list = await FilterAsync(tenant.Client, "Users", "userName sw \"RU\" and active eq true");

        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal([id], RfcScim.Ids(list));
    }

    // Scenario C-34. Rule R-FLT-1 (value path with a sub-attribute), R-FLT-8 (Entra's form).
    [Fact]
    public async Task C34_WorkEmailValuePathFindsTheUser()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var home = User("home@x.com", externalId: "ext-2");
        home["emails"] = new JsonArray(new JsonObject { ["value"] = "ruth@x.com", ["type"] = "home" }, new JsonObject { ["value"] = "h@x.com", ["type"] = "work", ["primary"] = true });
        await tenant.Client.CreateUserAsync(home);

        var list = await FilterAsync(tenant.Client, "Users", "emails[type eq \"work\"].value eq \"ruth@x.com\"");

        Assert.Equal([id], RfcScim.Ids(list)); // the other user has ruth@x.com, but not as its work email
    }

    // Scenario C-35. Rule R-FLT-1 (not, or, pr; precedence).
    [Fact]
    public async Task C35_NotActiveFalseOrTitlePresentIncludesRuth()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var inactive = User("gone@x.com", externalId: "ext-2");
        inactive["active"] = false;
        var gone = await tenant.Client.CreateUserAsync(inactive);
        var titled = User("boss@x.com", externalId: "ext-3");
        titled["active"] = false;
        titled["title"] = "Boss";
        var boss = await tenant.Client.CreateUserAsync(titled);

        var list = await FilterAsync(tenant.Client, "Users", "not (active eq false) or title pr");

        Assert.Equal([id, boss], RfcScim.Ids(list));
        Assert.DoesNotContain(gone, RfcScim.Ids(list));
    }

    // Scenario C-36. Rule R-FLT-3: gt on a boolean → 400 invalidFilter.
    [Fact]
    public async Task C36_GreaterThanOnABooleanIs400InvalidFilter()
    {
        var tenant = await fixture.CreateRfcTenantAsync();

        var error = await (await tenant.Client.GetAsync(FilterQuery("Users", "active gt true"))).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");

        Assert.Contains("boolean", error["detail"]!.GetValue<string>());
    }

    // Rule R-FLT-3: dateTimes compare chronologically; R-FLT-1: a value path with co.
    [Fact]
    public async Task LastModifiedAndValuePathFiltersSelectByTimeAndByOneEmail()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var id = await tenant.Client.CreateUserAsync(User());
        var created = (await tenant.Client.GetRfcAsync($"Users/{id}"))["meta"]!["lastModified"]!.GetValue<string>();

        Assert.Equal(1, (await FilterAsync(tenant.Client, "Users", $"meta.lastModified ge \"{created}\""))["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await FilterAsync(tenant.Client, "Users", $"meta.lastModified gt \"{created}\""))["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await FilterAsync(tenant.Client, "Users", "emails[type eq \"work\" and value co \"@X.COM\"]"))["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await FilterAsync(tenant.Client, "Users", "emails[type eq \"home\" and value co \"@x.com\"]"))["totalResults"]!.GetValue<int>());
    }

    // Rule R-FLT-1 with R-FLT-7: the same tree answers memberships in both profiles; rfc has no 404 for an unknown member.
    [Fact]
    public async Task MembershipFiltersCombineWithTheRestOfTheLanguage()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var ruth = await tenant.Client.CreateUserAsync(User());
        var other = await tenant.Client.CreateUserAsync(User("other@x.com", externalId: "ext-2"));
        var group = await (await tenant.Client.PostJsonAsync("Groups", RfcScim.Group("Admins", new JsonArray(new JsonObject { ["value"] = ruth }))))
            .ExpectRfcAsync(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<string>();

        Assert.Equal([ruth], RfcScim.Ids(await FilterAsync(tenant.Client, "Users", $"groups eq \"{groupId}\" or userName sw \"nobody\"")));
        Assert.Equal([other], RfcScim.Ids(await FilterAsync(tenant.Client, "Users", $"not (groups.value eq \"{groupId}\")")));
        Assert.Equal([groupId], RfcScim.Ids(await FilterAsync(tenant.Client, "Groups", $"members[value eq \"{ruth}\"] and displayName sw \"adm\"")));
        Assert.Empty(RfcScim.Ids(await FilterAsync(tenant.Client, "Groups", "members eq \"no-such-user\"")));
    }

    // Rule R-LST-5: sortBy/sortOrder are honoured, advertised, and the order is stable.
    [Fact]
    public async Task ListsSortByAnAttributeInEitherOrderAndSayTheySort()
    {
        var tenant = await fixture.CreateRfcTenantAsync();
        var config = await tenant.Client.GetRfcAsync("ServiceProviderConfig");
        Assert.True(config["sort"]!["supported"]!.GetValue<bool>());
        var ids = new Dictionary<string, string>();
        foreach (var (userName, familyName) in new[] { ("c@x.com", "Brown"), ("a@x.com", "adams"), ("b@x.com", "Clark"), ("d@x.com", "brown") })
        {
            var user = User(userName, externalId: "ext-" + userName);
            user["name"]!["familyName"] = familyName;
            ids[userName] = await tenant.Client.CreateUserAsync(user);
        }

        var byUserName = await tenant.Client.GetRfcAsync("Users?sortBy=userName");
        var byFamilyNameDescending = await tenant.Client.GetRfcAsync("Users?sortBy=name.familyName&sortOrder=descending");
        var secondPage = await tenant.Client.GetRfcAsync("Users?sortBy=name.familyName&startIndex=3&count=2");

        Assert.Equal(new[] { "a@x.com", "b@x.com", "c@x.com", "d@x.com" }.Select(u => ids[u]), RfcScim.Ids(byUserName));
        // Case-insensitive, ties ("Brown", "brown") in creation order, descending the exact reverse.
        Assert.Equal(new[] { "b@x.com", "d@x.com", "c@x.com", "a@x.com" }.Select(u => ids[u]), RfcScim.Ids(byFamilyNameDescending));
        Assert.Equal(new[] { "d@x.com", "b@x.com" }.Select(u => ids[u]), RfcScim.Ids(secondPage));
        Assert.Equal(4, secondPage["totalResults"]!.GetValue<int>());
        await (await tenant.Client.GetAsync("Users?sortBy=nosuch")).ExpectRfcErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");
    }

    // Rule R-LST-5 [AWS]: the aws profile does not sort and ignores the parameters.
    [Fact]
    public async Task TheAwsProfileIgnoresSortParameters()
    {
        var tenant = await fixture.CreateTenantAsync();
        var first = await tenant.Client.CreateUserAsync(User("z@x.com", externalId: "ext-z"));
        var second = await tenant.Client.CreateUserAsync(User("a@x.com", externalId: "ext-a"));

        var list = await (await tenant.Client.GetAsync("Users?sortBy=userName&sortOrder=nonsense")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([first, second], RfcScim.Ids(list));
    }
}
