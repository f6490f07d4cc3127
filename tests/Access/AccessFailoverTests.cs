using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Sessions;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Users;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Access;

/// <summary>
/// S-2 durability (O-6): the window after a deletion is computed from stored instants, so stopping the silo that
/// hosts the session grain neither ends nor extends it. Runs on the two-silo cluster of the failover collection.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class AccessFailoverTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task DeletionWindowClosesAtTheSameInstantAfterTheSessionsSiloStops()
    {
        // Rule S-2, S-3, S-5, O-6.
        var grains = fixture.SiloGrains;
        var tenantId = NewTenantId();
        var tenant = await grains.GetGrain<IDirectoryGrain>(tenantId).CreateAsync(new TenantSpec("Failover", IdentitySource.ExternalIdp, "Okta"));
        var partition = await grains.GetGrain<IDirectoryGrain>(tenantId).GetPartitionAsync();
        var userName = AccessFixture.NewUserName("failover");
        var userId = NewId();
        await grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, userId)).CreateAsync(AccessFixture.UserBody(userName).ToJsonString());
        await grains.GetGrain<IAssignmentsGrain>(tenantId).CreateAsync(new AssignmentRequest("User", userId, "111111111111", "Admin"));

        var t0 = fixture.Time.GetUtcNow();
        var session = await grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, userId)).SignInAsync();
        Assert.Equal(t0 + 8 * Hour, session.ExpiresAt);

        fixture.Time.Advance(Hour);
        await grains.GetGrain<IUserGrain>(ResourceKey.Of(partition, userId)).DeleteAsync();

        var sessions = grains.GetGrain<ISessionGrain>(ResourceKey.Of(partition, userId));
        var before = await sessions.GetAsync(session.SessionId); // activates it
        Assert.True(before.Valid);
        Assert.Equal(t0 + 3 * Hour, before.ValidUntil);

        // Stop the silo hosting the session grain; keep two silos; go on through the survivor.
        Assert.True(fixture.Cluster.TryGetGrainContext(sessions.GetGrainId(), out var context), "the session grain has no activation");
        var host = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(context!.Address.SiloAddress));
        var survivor = fixture.Cluster.Silos.First(s => s != host);
        await fixture.Cluster.StopSiloAsync(host);
        Assert.False(fixture.Cluster.TryGetGrainContext(sessions.GetGrainId(), out _));
        await fixture.Cluster.StartAdditionalSiloAsync();
        grains = survivor.ServiceProvider.GetRequiredService<IGrainFactory>();
        sessions = grains.GetGrain<ISessionGrain>(ResourceKey.Of(partition, userId));
        var portal = grains.GetGrain<IPortalGrain>(tenant.IdentityStoreId);

        // The deletion is remembered: no new sign-in, no revoke (S-3), the access held at deletion (S-5).
        await ExpectScimErrorAsync(() => portal.SignInAsync(userName), 403);
        await ExpectScimErrorAsync(() => sessions.RevokeAllAsync(), 409);

        fixture.Time.Advance(t0 + 3 * Hour - TimeSpan.FromSeconds(1) - fixture.Time.GetUtcNow());
        var late = await portal.GetSessionAsync(session.SessionId);
        Assert.True(late.Valid, $"1 s before deletion + 2 h the session must still be valid (validUntil {late.ValidUntil:O})");
        Assert.Equal(t0 + 3 * Hour, late.ValidUntil);
        Assert.Equal(new[] { new AccessGrant("111111111111", "Admin") }, late.Access);

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var after = await portal.GetSessionAsync(session.SessionId);
        Assert.False(after.Valid, $"1 s after deletion + 2 h the session must be over (validUntil {after.ValidUntil:O})");
        Assert.Empty(after.Access);
    }
}
