using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Tokens;
using IdentityDirectory.Users;
using Microsoft.Extensions.DependencyInjection;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

/// <summary>The product with purges of two rows per transaction, so that a small tenant takes many.</summary>
public sealed class SmallPurgeBatchFixture : AdminFixture
{
    public SmallPurgeBatchFixture() => Settings["Directory:PurgeBatch"] = "2";
}

/// <summary>A deleted tenant's rows are purged after the delete has answered, batch after batch (O-2).</summary>
public sealed class TenantDeletionPurgeTests(SmallPurgeBatchFixture fixture) : IClassFixture<SmallPurgeBatchFixture>
{
    [Fact]
    public async Task TheDeleteAnswersAtOnceAndTheRowsGoInTheBackgroundBatchAfterBatch()
    {
        // Rule O-2: all the tenant's data goes, without one transaction holding the store's writer for all of it.
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var (neighbourId, neighbourEndpoint, neighbourToken) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimHttp.ScimClient(endpoint, token);
        using var neighbour = ScimHttp.ScimClient(neighbourEndpoint, neighbourToken);
        var group = await scim.CreateGroupAsync();
        var members = new JsonArray();
        for (var i = 0; i < 30; i++)
            members.Add(new JsonObject { ["value"] = await scim.CreateUserAsync() });
        await (await scim.PatchJsonAsync($"Groups/{group}", Op("add", "members", members))).ExpectAsync(HttpStatusCode.NoContent);
        var neighbourUser = await neighbour.CreateUserAsync();
        var before = await TenantRows.CountAsync(fixture, tenantId);

        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.True(TenantRows.DeletionReminders(fixture, tenantId) == 1, "no reminder to carry the purge through a restart");

        // Every call to the tenant's directory is answered after at most the batch running when it
        // arrived: nothing here runs the purge, it goes on by itself until no row is left.
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(tenantId);
        var seen = new List<long>();
        for (var call = 0; call < 500 && (seen.Count == 0 || seen[^1] > 0); call++)
        {
            Assert.Null(await directory.GetAsync());
            seen.Add(await TenantRows.CountAsync(fixture, tenantId));
        }

        Assert.True(before >= 90, $"{before} rows to purge"); // 30 users, 30 memberships, a group and audit records
        Assert.True(seen[0] > 0, "all rows went before the delete answered");
        Assert.Equal(0, seen[^1]);
        Assert.True(seen.Distinct().Count() > 2, $"rows seen while purging: {string.Join(", ", seen.Distinct())}");
        // Nothing is left, but the deletion and its reminder stay while a write admitted before it could still land;
        // the first pass after that window clears both.
        Assert.Null(await directory.GetAsync());
        Assert.Equal(1, TenantRows.DeletionReminders(fixture, tenantId));
        fixture.Time.Advance(DirectoryGrain.StragglerWindow);
        Assert.True(await directory.PurgeAsync());
        Assert.Equal(0, TenantRows.DeletionReminders(fixture, tenantId));
        await (await fixture.Admin.GetAsync($"/admin/tenants/{tenantId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scim.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
        await (await neighbour.GetAsync($"Users/{neighbourUser}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(neighbourId, (await fixture.Services.GetRequiredService<IDirectoryStore>().ListTenantsAsync(0, int.MaxValue)).TenantIds);
    }

    [Fact]
    public async Task ACreateAdmittedBeforeTheDeleteIsRefusedAndLeavesNoRow()
    {
        // Rule O-2: all the tenant's data goes, also what a request already past authentication would create after the purge.
        var (tenantId, directory) = await DeletedAndPurgedTenantAsync();

        // Such a request reaches the user grain straight, as one admitted before the delete does.
        var late = await Assert.ThrowsAsync<ScimException>(() => LateCreateAsync(tenantId, "late"));

        Assert.Equal(404, late.Status);
        Assert.Equal(0, await TenantRows.CountAsync(fixture, tenantId));
        Assert.Null(await directory.GetAsync());
    }

    [Fact]
    public async Task OtherLateWritesAreSweptUntilNoneCanBeInFlight()
    {
        // Rule O-2: a write the create fence does not cover (here a token expiry event whose reminder
        // fired as the tenant went) is purged by the sweeps of the straggler window.
        var (tenantId, directory) = await DeletedAndPurgedTenantAsync();
        await LateEventAsync(tenantId);
        Assert.True(await TenantRows.CountAsync(fixture, tenantId) > 0);

        await TickAsync(directory); // inside the window
        Assert.Equal(0, await TenantRows.CountAsync(fixture, tenantId));
        Assert.Equal(1, TenantRows.DeletionReminders(fixture, tenantId));

        await LateEventAsync(tenantId);
        fixture.Time.Advance(DirectoryGrain.StragglerWindow);
        await TickAsync(directory); // the last tick sweeps once more before it lets the tenant go
        Assert.Equal(0, await TenantRows.CountAsync(fixture, tenantId));
        Assert.Equal(0, TenantRows.DeletionReminders(fixture, tenantId));
    }

    private async Task<(string TenantId, IDirectoryGrain Directory)> DeletedAndPurgedTenantAsync()
    {
        var (tenantId, endpoint, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        using var scim = ScimHttp.ScimClient(endpoint, token);
        await scim.CreateUserAsync();
        await (await fixture.Admin.DeleteAsync($"/admin/tenants/{tenantId}")).ExpectAsync(HttpStatusCode.NoContent);
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(tenantId);
        for (var call = 0; call < 100 && await TenantRows.CountAsync(fixture, tenantId) > 0; call++)
            await directory.GetAsync();
        Assert.Equal(0, await TenantRows.CountAsync(fixture, tenantId));
        return (tenantId, directory);
    }

    private Task LateEventAsync(string tenantId) =>
        fixture.Services.GetRequiredService<IDirectoryStore>().AppendEventsAsync(tenantId,
            [new DirectoryEvent(0, TokenGrain.ExpiryEventType, "late-token", fixture.Time.GetUtcNow(), "{}")]);

    /// <summary>What a reminder tick starts: batches until one finds no more rows.</summary>
    private static async Task TickAsync(IDirectoryGrain directory)
    {
        for (var batch = 0; batch < 100; batch++)
        {
            if (await directory.PurgeAsync())
                return;
        }
        Assert.Fail("The sweep did not end.");
    }

    private Task LateCreateAsync(string tenantId, string userName) =>
        fixture.Grains.GetGrain<IUserGrain>(ResourceKey.Of(tenantId, Guid.NewGuid().ToString()))
            .CreateAsync(ScimHttp.User($"{userName}@x.com", externalId: userName).ToJsonString());
}
