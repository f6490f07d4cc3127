using System.Net;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using Microsoft.Extensions.DependencyInjection;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>Identity-source changes seen from outside: atomic, idempotent, purged afterwards (I-8).</summary>
public sealed class AccessSourceAtomicityTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task RepeatingAWipingChangeIsANoOp()
    {
        // Rule I-8: a repeat of the same request is a no-op — same store id, the new directory's data intact.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName("old"));

        var first = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        var storeId = first["identityStoreId"]!.GetValue<string>();
        var userName = AccessFixture.NewUserName("new");
        var userId = await fixture.ManualUserAsync(tenant.TenantId, userName);
        var groupId = await fixture.ManualGroupAsync(tenant.TenantId, "G-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.ManualMemberAsync(tenant.TenantId, groupId, userId);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(storeId, userName);

        var repeat = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        Assert.Equal(storeId, repeat["identityStoreId"]!.GetValue<string>());
        Assert.Equal(storeId, (await fixture.TenantAsync(tenant.TenantId))["identityStoreId"]!.GetValue<string>());
        Assert.Equal([userId], (await fixture.UsersAsync(tenant.TenantId)).Select(u => u["id"]!.GetValue<string>()).ToList());
        Assert.Equal([userId], await fixture.MemberIdsAsync(tenant.TenantId, groupId));
        Assert.Equal([$"{userId}:111111111111:Admin"], await fixture.AssignmentsAsync(tenant.TenantId));
        await fixture.SignInAsync(storeId, userName);

        // The repeat did not end the new directory's sessions either (S-2 would end them 2 h later).
        fixture.At(t0 + 3 * Hour);
        await fixture.ExpectSessionAsync(storeId, sessionId, valid: true, "3 h after a no-op repeat");
    }

    [Fact]
    public async Task RepeatingAKeepingChangeIsANoOp()
    {
        // Rule I-8, I-9: repeating ExternalIdp with the same name changes nothing: data, store id, provisioning and token stay.
        var tenant = await fixture.ScimTenantAsync("Okta");
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        var before = await fixture.TenantAsync(tenant.TenantId);

        var repeat = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Okta");
        Assert.Equal(tenant.IdentityStoreId, repeat["identityStoreId"]!.GetValue<string>());
        Assert.True(repeat["provisioningEnabled"]!.GetValue<bool>());
        Assert.Equal(before["tokenIds"]!.ToJsonString(), repeat["tokenIds"]!.ToJsonString());
        await (await tenant.Scim!.GetAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([$"{userId}:111111111111:Admin"], await fixture.AssignmentsAsync(tenant.TenantId));
        Assert.False(await fixture.ResetRequiredAsync(tenant.TenantId, userId));
        await fixture.SignInAsync(tenant.IdentityStoreId, userName);
    }

    [Fact]
    public async Task NoRequestSeesAHalfDeletedDirectory()
    {
        // Rule I-8: during and after a wiping change, a listing shows the whole old directory or nothing of it.
        const int users = 30;
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var names = new List<string>();
        for (var i = 0; i < users; i++)
        {
            names.Add(AccessFixture.NewUserName("bulk"));
            await fixture.ManualUserAsync(tenant.TenantId, names[^1]);
        }
        Assert.Equal(users, (await fixture.UsersAsync(tenant.TenantId)).Count);

        var seen = new List<int>();
        using var stop = new CancellationTokenSource();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var counts = new List<int>();
            while (!stop.IsCancellationRequested)
            {
                counts.Add((await fixture.UsersAsync(tenant.TenantId)).Count);
                if (counts.Count == 1 && Interlocked.Increment(ref started) == 4)
                    allStarted.SetResult();
            }
            return counts;
        })).ToList();
        await allStarted.Task; // every reader has read once before the change starts
        await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");

        // After the change has answered, every request sees the empty directory at once.
        Assert.Empty(await fixture.UsersAsync(tenant.TenantId));
        foreach (var name in names.Take(5))
            Assert.Empty(await fixture.UsersAsync(tenant.TenantId, $"userName eq \"{name}\""));
        stop.Cancel();
        foreach (var reader in readers)
            seen.AddRange(await reader);
        Assert.NotEmpty(seen);
        Assert.All(seen, count => Assert.True(count is users or 0, $"a listing saw {count} of {users} users"));
    }

    [Fact]
    public async Task RetiredDirectoryIsPurgedFromTheStoreAfterTwoHours()
    {
        // Rule I-8 (the wipe is a generation flip, purged in the background), S-5 (a session of a wiped user answers
        // what it held until its window closes), I-1.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        var userId = await fixture.ManualUserAsync(tenant.TenantId, userName);
        var otherId = await fixture.ManualUserAsync(tenant.TenantId, AccessFixture.NewUserName("other"));
        var groupId = await fixture.ManualGroupAsync(tenant.TenantId, "G-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.ManualMemberAsync(tenant.TenantId, groupId, userId);
        await fixture.ManualMemberAsync(tenant.TenantId, groupId, otherId);
        await fixture.AssignAsync(tenant.TenantId, "User", userId, "111111111111", "Admin");
        await fixture.AssignAsync(tenant.TenantId, "Group", groupId, "222222222222", "ReadOnly");
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        var oldPartition = DirectoryPartition.First(tenant.TenantId);
        Assert.Equal(new[] { 2L, 1L, 2L, 2L }, await OldRowsAsync(oldPartition));

        var t0 = fixture.Now;
        var newStoreId = (await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory"))["identityStoreId"]!.GetValue<string>();
        var survivorName = AccessFixture.NewUserName("survivor");
        var survivor = await fixture.ManualUserAsync(tenant.TenantId, survivorName);
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(tenant.TenantId);

        // Within the window, a purge must not take away what the session still answers.
        fixture.At(t0 + Hour);
        Assert.True(await directory.PurgeAsync(), "nothing is due within the window");
        var session = await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: true, "1 h after the wipe, after an early purge");
        Assert.Equal(["111111111111:Admin", "222222222222:ReadOnly"], session.Access);

        fixture.At(t0 + 2 * Hour + TimeSpan.FromSeconds(1));
        for (var batch = 0; !await directory.PurgeAsync(); batch++)
            Assert.True(batch < 100, "the purge never ended");
        Assert.Equal(new[] { 0L, 0L, 0L, 0L }, await OldRowsAsync(oldPartition));
        await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: false, "after the window");

        // The live directory is untouched by the purge.
        Assert.Equal([survivor], (await fixture.UsersAsync(tenant.TenantId)).Select(u => u["id"]!.GetValue<string>()).ToList());
        await fixture.SignInAsync(newStoreId, survivorName);
    }

    /// <summary>The users, groups, memberships and assignments of the partition, as the store lists them.</summary>
    private Task<long[]> OldRowsAsync(DirectoryPartition partition) =>
        TenantRows.OfDirectoryAsync(fixture.Services.GetRequiredService<IDirectoryStore>(), partition);
}
