using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>The operator revoking a user's sessions (S-3).</summary>
public sealed class AccessRevokeTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task RevokeEndsEveryLiveSessionOfTheUserAtOnce()
    {
        // Rule S-3: while the user exists, the operator revokes its sessions; they end at once.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var otherName = AccessFixture.NewUserName("other");
        await AccessFixture.ScimUserAsync(tenant.Scim!, otherName);

        var (first, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        var (second, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        var (othersSession, _) = await fixture.SignInAsync(tenant.IdentityStoreId, otherName);
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, first, valid: true, "before revoke");

        await (await fixture.RevokeRequestAsync(tenant.TenantId, userId)).ExpectAsync(HttpStatusCode.NoContent);

        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, first, valid: false, "right after revoke (first session)");
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, second, valid: false, "right after revoke (second session)");
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, othersSession, valid: true, "another user's session after revoke");
    }

    [Fact]
    public async Task RevokeAfterDeletionIsRefusedAndTheWindowRunsOut()
    {
        // Rule S-3: after the user is deleted, revocation is refused (409); the two-hour window runs out on its own (S-2).
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        await (await tenant.Scim!.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await fixture.RevokeRequestAsync(tenant.TenantId, userId)).ExpectAsync(HttpStatusCode.Conflict);

        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "right after the refused revoke");
        fixture.At(t0 + 2 * Hour - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "1 s before deletion + 2 h");
        fixture.At(t0 + 2 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "1 s after deletion + 2 h");
    }

    [Fact]
    public async Task RevokeAfterDeletionIsRefusedEvenWithoutSessions()
    {
        // Rule S-3: revocation is for existing users; a deleted user's revoke is refused whether or not it ever signed in.
        var tenant = await fixture.ScimTenantAsync();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, AccessFixture.NewUserName());

        await (await tenant.Scim!.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await fixture.RevokeRequestAsync(tenant.TenantId, userId)).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RevokeOfAUserRemovedByAWipingSourceChangeIsRefused()
    {
        // Rule S-3 with S-2 "by any path (… identity-source change)": the user is deleted by I-1, so revoke is refused
        // and its session runs out two hours after the change.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        var userId = await fixture.ManualUserAsync(tenant.TenantId, userName);
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        var changed = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        var newStoreId = changed["identityStoreId"]!.GetValue<string>();
        await (await fixture.RevokeRequestAsync(tenant.TenantId, userId)).ExpectAsync(HttpStatusCode.Conflict);

        fixture.At(t0 + 2 * Hour - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: true, "1 s before change + 2 h");
        fixture.At(t0 + 2 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: false, "1 s after change + 2 h");
    }

    [Fact]
    public async Task DeletingTheTenantEndsItsSessions()
    {
        // Rule O-2: deleting a tenant deletes all its data, tokens and sessions: no session of it answers valid again.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}")).ExpectAsync(HttpStatusCode.NoContent);

        var check = await fixture.SessionRequestAsync(tenant.IdentityStoreId, sessionId);
        if (check.StatusCode != HttpStatusCode.NotFound)
            Assert.False((await check.ExpectAsync(HttpStatusCode.OK))["valid"]!.GetValue<bool>());
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.NotFound);
        await (await tenant.Scim!.GetAsync("Users")).ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }
}
