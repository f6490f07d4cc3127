using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Gateway.Console;

/// <summary>
/// The operator console at <c>/console/</c>: server-rendered Razor Pages over the same grain calls as the
/// admin API, opened by the operator key (<see cref="ConsoleSession"/>), every form protected by ASP.NET
/// Core antiforgery. It has no scheme of its own on the SCIM and admin paths, so those stay as they were.
/// </summary>
public static class OperatorConsole
{
    public const string Root = "/console";
    public const string Policy = "operator-console";

    public static IServiceCollection AddOperatorConsole(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
            {
                options.RootDirectory = "/Console/Pages";
                options.Conventions.AuthorizeFolder("/", Policy);
                options.Conventions.AllowAnonymousToPage("/SignIn");
                options.Conventions.ConfigureFilter(new ConsolePageFilter());
            })
            .AddApplicationPart(typeof(OperatorConsole).Assembly);
        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, ConsoleSession.Configure);
        services.AddOptions<CookieAuthenticationOptions>(ConsoleSession.Scheme).Configure<TimeProvider>((options, time) => options.TimeProvider = time);
        services.AddAuthorization(options => options.AddPolicy(Policy, policy =>
            policy.AddAuthenticationSchemes(ConsoleSession.Scheme).RequireAuthenticatedUser()));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "idir-console-antiforgery";
            options.Cookie.Path = Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.HeaderName = null; // forms only: the console sends no token in a header
        });
        services.Configure<CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = "idir-console-notice";
            options.Cookie.Path = Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapGet($"{Root}/assets/{{name}}", ConsoleAssets.Serve).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
