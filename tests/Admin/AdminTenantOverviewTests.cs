using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>
/// What the operator's views need from the admin API: tenants with their counts and token reminder, found by
/// name or id; audit records and health events newest first; users found by display name. On a product of
/// its own, since one test moves the clock.
/// </summary>
public sealed class AdminTenantOverviewTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task TenantListShowsUserAndGroupCountsAndTheTokenReminder()
    {
        // Rule O-2, T-9: each listed tenant carries its counts and whether a token needs rotation.
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimClient(endpoint, token);
        await scim.CreateUserAsync();
        var user = await scim.CreateUserAsync();
        await scim.CreateGroupAsync();
        await (await scim.DeleteAsync($"Users/{user}")).ExpectAsync(HttpStatusCode.NoContent);

        var row = await ListedAsync(tenantId);
        Assert.Equal(tenantId, row["tenant"]!["tenantId"]!.GetValue<string>());
        Assert.Equal(1, row["users"]!.GetValue<int>());
        Assert.Equal(1, row["groups"]!.GetValue<int>());
        Assert.False(row["tokenReminder"]!.GetValue<bool>());

        var expiresAt = DateTimeOffset.Parse(AdminApi.TokenEntry(await fixture.Admin.ListTokensAsync(tenantId), token)["expiresAt"]!.GetValue<string>());
        fixture.Time.Advance(expiresAt - TimeSpan.FromDays(90) - fixture.Time.GetUtcNow());
        Assert.True((await ListedAsync(tenantId))["tokenReminder"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SearchFindsTenantsByAPartOfTheirNameInAnyCaseOrByTheirId()
    {
        var mark = Guid.NewGuid().ToString("N")[..8];
        var acme = (await fixture.Admin.CreateTenantAsync("IdentityCenter", $"Acme {mark} Europe"))["tenantId"]!.GetValue<string>();
        var acmeUs = (await fixture.Admin.CreateTenantAsync("IdentityCenter", $"ACME {mark} US"))["tenantId"]!.GetValue<string>();
        var other = (await fixture.Admin.CreateTenantAsync("IdentityCenter", $"Globex {mark}"))["tenantId"]!.GetValue<string>();

        Assert.Equal([acme, acmeUs], await SearchAllAsync($"acme {mark}", pageSize: 1));
        Assert.Equal([other], await SearchAllAsync($"globex {mark.ToUpperInvariant()}", pageSize: 50));
        Assert.Equal([acmeUs], await SearchAllAsync(acmeUs, pageSize: 50));
        Assert.Empty(await SearchAllAsync($"initech {mark}", pageSize: 50));
    }

    [Fact]
    public async Task AuditRecordsAndHealthEventsListNewestFirstPageByPage()
    {
        // Rule O-5, T-8: the operator reads a tenant's latest activity first.
        var (tenantId, _, _) = await fixture.Admin.CreateProvisionedTenantAsync();
        await fixture.Admin.CreateTokenAsync(tenantId);
        var oldest = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/audit")).ExpectAsync(HttpStatusCode.OK);
        var ascending = oldest["entries"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(4, ascending.Count); // create tenant, enable provisioning, first token, second token
        var newest = await PagesAsync($"/admin/tenants/{tenantId}/audit?order=newest&count=2", "entries");
        Assert.Equal(ascending.AsEnumerable().Reverse(), newest);

        var now = fixture.Time.GetUtcNow();
        await fixture.Services.GetRequiredService<IDirectoryStore>().AppendEventsAsync(tenantId,
            [.. Enumerable.Range(0, 5).Select(i => new DirectoryEvent(0, TokenGrain.ExpiryEventType, $"token-{i}", now.AddMinutes(i), "{}"))]);
        var events = await PagesAsync($"/admin/tenants/{tenantId}/events?order=newest&count=2", "events");
        Assert.Equal(5, events.Count);
        Assert.True(events.SequenceEqual(events.OrderDescending()), "newest first");

        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/audit?order=sideways")).ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OperatorFindsUsersByDisplayNameWhichScimClientsOfTheAwsProfileCannot()
    {
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimClient(endpoint, token);
        var ruth = UniqueUser();
        ruth["displayName"] = "Ruth Rivera";
        var ruthId = await scim.CreateUserAsync(ruth);
        await scim.CreateUserAsync();

        var filter = Uri.EscapeDataString("displayName eq \"RUTH rivera\"");
        var found = await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}/users?filter={filter}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ruthId, Assert.Single(found["Resources"]!.AsArray())!["id"]!.GetValue<string>());

        // Rule R-FLT-6: the aws profile filters users on userName, externalId, id, groups and manager only.
        await (await scim.GetAsync($"Users?filter={filter}")).ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");

        // The search is answered from an index, not by reading every user of the tenant.
        using var db = fixture.OpenDatabaseReadOnly();
        using var plan = db.CreateCommand();
        plan.CommandText = """
            EXPLAIN QUERY PLAN SELECT r.seq FROM directory_users r
            WHERE r.tenant_id = 't' AND json_extract(r.search, '$.displayName') = 'x' AND r.seq > 0 ORDER BY r.seq LIMIT 10
            """;
        using var reader = plan.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
            steps.Add(reader.GetString(3));
        Assert.Contains(steps, step => step.Contains("ix_directory_users_display_name"));
    }

    private async Task<JsonObject> ListedAsync(string tenantId)
    {
        var page = await (await fixture.Admin.GetAsync($"/admin/tenants?search={tenantId}")).ExpectAsync(HttpStatusCode.OK);
        return (JsonObject)Assert.Single(page["tenants"]!.AsArray())!;
    }

    private async Task<List<string>> SearchAllAsync(string search, int pageSize)
    {
        var ids = new List<string>();
        string? after = null;
        for (var page = 0; page < 1000; page++)
        {
            var url = $"/admin/tenants?search={Uri.EscapeDataString(search)}&count={pageSize}" + (after is null ? "" : $"&after={after}");
            var body = await (await fixture.Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            ids.AddRange(body["tenants"]!.AsArray().Select(t => t!["tenant"]!["tenantId"]!.GetValue<string>()));
            after = body["next"]?.GetValue<string>();
            if (after is null)
                return ids;
        }
        throw new InvalidOperationException("The search never ended.");
    }

    /// <summary>The positions (seq) of every item of a list, following <c>next</c> as <c>before</c>.</summary>
    private async Task<List<long>> PagesAsync(string url, string items)
    {
        var seqs = new List<long>();
        long? next = null;
        for (var page = 0; page < 1000; page++)
        {
            var body = await (await fixture.Admin.GetAsync(url + (next is null ? "" : $"&before={next}"))).ExpectAsync(HttpStatusCode.OK);
            seqs.AddRange(body[items]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()));
            next = body["next"]?.GetValue<long>();
            if (next is null)
                return seqs;
        }
        throw new InvalidOperationException("The list never ended.");
    }
}
