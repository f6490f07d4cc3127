using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>The window after a user is deleted or disabled (S-2), on 8-hour sessions.</summary>
public sealed class AccessSessionWindowTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private async Task<(AccessTenant Tenant, string UserId, string UserName, string SessionId, DateTimeOffset T0)> SignedInScimUserAsync()
    {
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var t0 = fixture.Now;
        var (sessionId, expiresAt) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t0 + 8 * Hour, expiresAt);
        return (tenant, userId, userName, sessionId, t0);
    }

    [Fact]
    public async Task UserDeletedAtHourOneKeepsTheSessionForTwoHours()
    {
        // Rule S-2: a deleted user keeps its live sessions for at most two hours more.
        var (tenant, userId, userName, sessionId, t0) = await SignedInScimUserAsync();

        fixture.At(t0 + Hour);
        await (await tenant.Scim!.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);

        // Rule S-2: new sign-ins are refused at once.
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 2 * Hour + TimeSpan.FromMinutes(59));
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "2h59m (deleted at 1 h)");
        Assert.Equal(t0 + 3 * Hour, session.ValidUntil);

        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "3h00m01s (deleted at 1 h)");
    }

    [Fact]
    public async Task UserDeletedAtHourSevenKeepsTheSessionOnlyToItsOwnExpiry()
    {
        // Rule S-2: never beyond the session's own expiry (hour 8, not hour 9).
        var (tenant, userId, _, sessionId, t0) = await SignedInScimUserAsync();

        fixture.At(t0 + 7 * Hour);
        await (await tenant.Scim!.DeleteAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);

        fixture.At(t0 + 8 * Hour - TimeSpan.FromSeconds(1));
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "7h59m59s (deleted at 7 h)");
        Assert.Equal(t0 + 8 * Hour, session.ValidUntil);

        fixture.At(t0 + 8 * Hour);
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "8 h (deleted at 7 h)");
    }

    [Fact]
    public async Task UserDeletedThroughTheAdminApiKeepsTheSessionForTwoHours()
    {
        // Rule S-2: by any path — here the admin API of an IdentityCenter tenant (O-4).
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        var userId = await fixture.ManualUserAsync(tenant.TenantId, userName);
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        fixture.At(t0 + Hour);
        await (await fixture.Admin.DeleteAsync($"tenants/{tenant.TenantId}/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 2 * Hour + TimeSpan.FromMinutes(59));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "2h59m (deleted at 1 h)");
        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "3h00m01s (deleted at 1 h)");
    }

    [Fact]
    public async Task DisabledUserKeepsTheSessionForTwoHoursAndCannotSignInAgain()
    {
        // Rule S-2: a disabled user's live session ends two hours after the disable; new sign-ins are refused at once.
        var (tenant, userId, userName, sessionId, t0) = await SignedInScimUserAsync();

        fixture.At(t0 + Hour);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: false);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 2 * Hour + TimeSpan.FromMinutes(59));
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "2h59m (disabled at 1 h)");
        Assert.Equal(t0 + 3 * Hour, session.ValidUntil);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "3h00m01s (disabled at 1 h)");
    }

    [Fact]
    public async Task ReenabledUserCanSignInAgain()
    {
        // Rule S-1, S-2: once enabled again, the user is no longer refused.
        var (tenant, userId, userName, _, t0) = await SignedInScimUserAsync();

        fixture.At(t0 + Hour);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: false);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 4 * Hour);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: true);
        var t1 = fixture.Now;
        var (sessionId, expiresAt) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t1 + 8 * Hour, expiresAt);

        fixture.At(t1 + 7 * Hour);
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "7 h into the session after re-enable");
    }

    [Fact]
    public async Task UserDisabledWithoutSessionsCannotSignInAndCanAfterReenable()
    {
        // Rule S-1, S-2: the refusal does not depend on the user having had a session.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);

        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: false);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: true);
        await fixture.SignInAsync(tenant.IdentityStoreId, userName);
    }

    [Fact]
    public async Task ReenablingDoesNotExtendTheWindowOfSessionsLiveAtTheDisable()
    {
        // Rule S-2: the sessions active when the user was disabled keep at most two hours more — re-enabling the
        // user lets it sign in again (new sessions) but does not give the old ones back their full length.
        var (tenant, userId, userName, sessionId, t0) = await SignedInScimUserAsync();

        fixture.At(t0 + Hour);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: false);
        fixture.At(t0 + 2 * Hour);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: true);
        var (newSession, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, newSession, valid: true, "the session started after re-enable");
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "3h00m01s (disabled at 1 h, re-enabled at 2 h)");
    }
}
