using System.Net;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Access;

/// <summary>Live sessions across an identity-source change (S-4).</summary>
public sealed class AccessSourceSessionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task KeepingChangeAtHourFourLeavesTheSessionToItsOwnEnd()
    {
        // Rule S-4, I-3: IdentityCenter → ExternalIdp keeps users; an 8-hour session switched at hour 4 runs 4 h more.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        await fixture.ManualUserAsync(tenant.TenantId, userName);
        var t0 = fixture.Now;
        var (sessionId, expiresAt) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);
        Assert.Equal(t0 + 8 * Hour, expiresAt);

        fixture.At(t0 + 4 * Hour);
        var changed = await fixture.ChangeSourceAsync(tenant.TenantId, "externalIdp", "Okta");
        Assert.Equal(tenant.IdentityStoreId, changed["identityStoreId"]!.GetValue<string>());

        fixture.At(t0 + 7 * Hour + TimeSpan.FromMinutes(59));
        var session = await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "7h59m (switched at 4 h)");
        Assert.Equal(t0 + 8 * Hour, session.ValidUntil);
        fixture.At(t0 + 8 * Hour);
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "8 h (switched at 4 h)");
    }

    [Fact]
    public async Task WipingChangeAtHourOneEndsTheSessionAtHourThree()
    {
        // Rule S-4, I-1, S-2: IdentityCenter → ActiveDirectory deletes the users; their sessions keep at most two hours.
        var tenant = await fixture.ManualTenantAsync("identityCenter");
        var userName = AccessFixture.NewUserName();
        await fixture.ManualUserAsync(tenant.TenantId, userName);
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        fixture.At(t0 + Hour);
        var changed = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        var newStoreId = changed["identityStoreId"]!.GetValue<string>();
        Assert.NotEqual(tenant.IdentityStoreId, newStoreId);

        // Rule S-2: new sign-ins are refused at once (the user is gone from the new directory; the old portal is gone, I-10).
        await (await fixture.SignInRequestAsync(newStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.NotFound);

        fixture.At(t0 + 2 * Hour + TimeSpan.FromMinutes(59));
        var session = await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: true, "2h59m (wiped at 1 h)");
        Assert.Equal(t0 + 3 * Hour, session.ValidUntil);
        fixture.At(t0 + 3 * Hour + TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(newStoreId, sessionId, valid: false, "3h00m01s (wiped at 1 h)");
    }

    [Fact]
    public async Task WipingChangeAtHourSevenEndsTheSessionAtItsOwnExpiry()
    {
        // Rule S-4, I-6, S-2: ExternalIdp → ActiveDirectory at hour 7: never beyond the session's own expiry.
        var tenant = await fixture.ScimTenantAsync();
        var userName = AccessFixture.NewUserName();
        await AccessFixture.ScimUserAsync(tenant.Scim!, userName);
        var t0 = fixture.Now;
        var (sessionId, _) = await fixture.SignInAsync(tenant.IdentityStoreId, userName);

        fixture.At(t0 + 7 * Hour);
        var changed = await fixture.ChangeSourceAsync(tenant.TenantId, "activeDirectory");
        Assert.Equal(tenant.IdentityStoreId, changed["identityStoreId"]!.GetValue<string>());
        await (await fixture.SignInRequestAsync(tenant.IdentityStoreId, userName)).ExpectAsync(HttpStatusCode.Forbidden);

        fixture.At(t0 + 8 * Hour - TimeSpan.FromSeconds(1));
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: true, "7h59m59s (wiped at 7 h)");
        fixture.At(t0 + 8 * Hour);
        await fixture.ExpectSessionAsync(tenant.IdentityStoreId, sessionId, valid: false, "8 h (wiped at 7 h)");
    }
}
