using System.Net;
using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Admin;

public sealed class TenantDeletionRestartTests
{
    // Rules O-2 and O-6: a purge cut short (here every batch fails: a batch size of 0 is refused by the
    // store) goes on after a restart, at the directory's next activation, until no row is left.
    [Fact]
    public async Task APurgeCutShortGoesOnAfterARestart()
    {
        var directory = TestDirectories.New();
        string tenantId;
        long left;
        await using (var first = new ProductOnDirectory(directory, ownsDirectory: false, ("Directory:PurgeBatch", "0")))
        {
            await first.InitializeAsync();
            var tenant = await first.CreateTenantAsync();
            tenantId = tenant.TenantId;
            for (var i = 0; i < 3; i++)
                await tenant.Client.CreateUserAsync();
            await first.Grains.GetGrain<IDirectoryGrain>(tenantId).DeleteAsync();
            Assert.Null(await first.Grains.GetGrain<IDirectoryGrain>(tenantId).GetAsync());
            await (await tenant.Client.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
            left = await TenantRows.CountAsync(first, tenantId);
        }
        Assert.True(left >= 3, $"{left} rows left by the failing purge");

        await using var second = new ProductOnDirectory(directory, ownsDirectory: true);
        await second.InitializeAsync();
        var restarted = second.Grains.GetGrain<IDirectoryGrain>(tenantId);
        for (var call = 0; call < 100 && await TenantRows.CountAsync(second, tenantId) > 0; call++)
            Assert.Null(await restarted.GetAsync()); // each call is answered after at most one batch

        Assert.Equal(0, await TenantRows.CountAsync(second, tenantId));
        Assert.Null(await restarted.GetAsync());
        second.Time.Advance(DirectoryGrain.StragglerWindow);
        Assert.True(await restarted.PurgeAsync());
        Assert.Equal(0, TenantRows.DeletionReminders(second, tenantId));
    }
}
