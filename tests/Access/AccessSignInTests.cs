using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>Signing in at the access portal (S-1).</summary>
public sealed class AccessSignInTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task SignInGivesASessionOfTheDefaultEightHours()
    {
        // Rule S-1, O-3: the session expires after the tenant's session duration, 8 h by default.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var t0 = fixture.Now;

        var (sessionId, expiresAt) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t0 + TimeSpan.FromHours(8), expiresAt);
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "at sign-in");
        Assert.Equal(expiresAt, session.ValidUntil);

        // The session belongs to its tenant's portal only.
        var other = await fixture.ScimTenantAsync();
        var elsewhere = await fixture.SessionRequestAsync(other.IdentityStoreId, sessionId);
        if (elsewhere.StatusCode != HttpStatusCode.NotFound)
            Assert.False((await elsewhere.ExpectAsync(HttpStatusCode.OK))["valid"]!.GetValue<bool>());

        fixture.At(t0 + TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "1 s before 8 h");
        fixture.At(t0 + TimeSpan.FromHours(8));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "at 8 h");
    }

    [Fact]
    public async Task SignInFollowsAChangedSessionDuration()
    {
        // Rule S-1, O-3: after the operator sets sessionDuration, new sessions last that long.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        await fixture.UpdateSettingsAsync(tenant.TenantId, new { sessionDuration = "12:00:00" });
        var t0 = fixture.Now;

        var (sessionId, expiresAt) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t0 + TimeSpan.FromHours(12), expiresAt);

        fixture.At(t0 + TimeSpan.FromHours(11) + TimeSpan.FromMinutes(59));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "11h59m");
        fixture.At(t0 + TimeSpan.FromHours(12));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "12 h");

        await fixture.UpdateSettingsAsync(tenant.TenantId, new { sessionDuration = "00:15:00" });
        var t1 = fixture.Now;
        var (_, shortExpiry) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t1 + TimeSpan.FromMinutes(15), shortExpiry);
    }

    [Fact]
    public async Task DisabledUserCannotSignIn()
    {
        // Rule S-1: a disabled user (SCIM PATCH active false) cannot sign in.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        var userId = await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        await AccessFixture.ScimSetActiveAsync(tenant.Scim!, userId, active: false);

        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        // A user created inactive cannot sign in either.
        var inactiveName = AccessFixture.NewUserName("inactive");
        await AccessFixture.ScimUserAsync(tenant.Scim!, inactiveName, active: false);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, inactiveName)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UnknownUserNameCannotSignIn()
    {
        // Rule S-1: an unknown user cannot sign in.
        var tenant = await fixture.ScimTenantAsync();
        await AccessFixture.ScimUserAsync(tenant.Scim!, AccessFixture.NewUserName());

        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, AccessFixture.NewUserName("nobody"))).ExpectAsync(HttpStatusCode.Forbidden);

        // A userName of another tenant is unknown here.
        var other = await fixture.ScimTenantAsync();
        var otherName = AccessFixture.NewUserName("other");
        await AccessFixture.ScimUserAsync(other.Scim!, otherName);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, otherName)).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
