using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Scim;

public sealed class ThrottledGatewayFixture : GatewayFixture
{
    public ThrottledGatewayFixture()
    {
        Settings["Scim:Throttle:ReadsPerSecond"] = "40";
        Settings["Scim:Throttle:WritesPerSecond"] = "25";
    }
}

public sealed class ThrottleTests(ThrottledGatewayFixture fixture) : IClassFixture<ThrottledGatewayFixture>
{
    // Rule R-GEN-7, scenario C-86: 60 concurrent GETs at 40 reads per second (bucket of 40).
    [Fact]
    public async Task C86_ReadsBeyondTheTenantBudgetAre429WithRetryAfter()
    {
        var tenant = await fixture.CreateTenantAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => tenant.Client.GetAsync("ServiceProviderConfig")));

        // The fake clock does not move during the burst, so exactly the bucket's 40 tokens are spent.
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(20, throttled.Count);
        Assert.All(throttled, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        await throttled[0].ExpectErrorAsync(HttpStatusCode.TooManyRequests);

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await (await tenant.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
    }

    // Rule R-GEN-7: the budgets are per tenant, and writes have their own.
    [Fact]
    public async Task OneTenantsBurstDoesNotThrottleAnother()
    {
        var busy = await fixture.CreateTenantAsync();
        var quiet = await fixture.CreateTenantAsync();
        await Task.WhenAll(Enumerable.Range(0, 45).Select(_ => busy.Client.GetAsync("ServiceProviderConfig")));

        await (await quiet.Client.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
        var write = await busy.Client.PostJsonAsync("Users", ScimHttp.UniqueUser());
        await write.ExpectAsync(HttpStatusCode.Created);
    }
}

public sealed class MembershipBudgetFixture : GatewayFixture
{
    public MembershipBudgetFixture() => Settings["Scim:Throttle:MembershipChangesPerSecond"] = "150";
}

public sealed class MembershipBudgetTests(MembershipBudgetFixture fixture) : IClassFixture<MembershipBudgetFixture>
{
    // Rule R-GEN-7: membership changes in CreateGroup/PatchGroup have a budget of their own; each member counts.
    [Fact]
    public async Task MembershipChangesBeyondTheBudgetAre429()
    {
        var tenant = await fixture.CreateTenantAsync();
        var users = new List<string>();
        for (var i = 0; i < 100; i++)
            users.Add(await tenant.Client.CreateUserAsync());
        var group = await tenant.Client.CreateGroupAsync();
        System.Text.Json.Nodes.JsonNode Members(IEnumerable<string> ids) =>
            new System.Text.Json.Nodes.JsonArray(ids.Select(id => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject { ["value"] = id }).ToArray());

        await (await tenant.Client.PatchJsonAsync($"Groups/{group}", ScimHttp.Op("add", "members", Members(users)))).ExpectAsync(HttpStatusCode.NoContent);
        var refused = await tenant.Client.PatchJsonAsync($"Groups/{group}", ScimHttp.Op("remove", "members", Members(users.Take(60))));
        await refused.ExpectErrorAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        await (await tenant.Client.PatchJsonAsync($"Groups/{group}", ScimHttp.Op("remove", $"members[value eq \"{users[0]}\"]")))
            .ExpectAsync(HttpStatusCode.NoContent); // one change fits in the 50 left

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await (await tenant.Client.PatchJsonAsync($"Groups/{group}", ScimHttp.Op("remove", "members", Members(users.Skip(1).Take(60)))))
            .ExpectAsync(HttpStatusCode.NoContent);
    }
}
