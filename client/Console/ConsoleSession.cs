using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Gateway.Console;

/// <summary>
/// A console session, opened by the operator key (O-1) and held in a cookie that is HttpOnly, SameSite=Strict,
/// Secure over TLS and valid for the browser session only. The cookie carries no key: only the session's id,
/// when it was opened and a stamp of the key it was opened with. A session ends after
/// <see cref="IdleTimeout"/> without a request, <see cref="MaxLifetime"/> after sign-in whatever the
/// activity, at sign-out, and at once for every session when the operator key is rotated.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "operator-console";

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(8);

    private const string SignedInClaim = "signed-in";
    private const string KeyStampClaim = "key-stamp";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "idir-console";
        options.Cookie.Path = OperatorConsole.Root;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = $"{OperatorConsole.Root}/sign-in";
        options.LogoutPath = $"{OperatorConsole.Root}/sign-out";
        options.AccessDeniedPath = $"{OperatorConsole.Root}/sign-in";
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>Opens a session when <paramref name="key"/> is the operator key, as the operator grain judges it.</summary>
    public static async Task<bool> SignInAsync(HttpContext context, string key)
    {
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        if (!await OperatorKey.VerifyAsync(grains, key))
            return false;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
            new Claim(ClaimTypes.Name, AuditContext.Operator),
            new Claim(SignedInClaim, now.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            new Claim(KeyStampClaim, await grains.Reference<IOperatorGrain>(IOperatorGrain.Key).GetKeyStampAsync()),
        ], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        return true;
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>Every request: the session is refused once it outlived <see cref="MaxLifetime"/> or the key it was opened with.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var signedIn = long.TryParse(context.Principal?.FindFirstValue(SignedInClaim), CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : DateTimeOffset.MinValue;
        var stamp = await services.GetRequiredService<IGrainFactory>().Reference<IOperatorGrain>(IOperatorGrain.Key).GetKeyStampAsync();
        if (now - signedIn < MaxLifetime && context.Principal?.FindFirstValue(KeyStampClaim) == stamp)
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }
}
