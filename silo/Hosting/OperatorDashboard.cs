using System.Net.Http.Headers;
using System.Text;
using IdentityDirectory.Gateway;
using IdentityDirectory.Operator;
using Orleans.Dashboard;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <see cref="Path"/> (silos, grain activations and calls, reminders), on when
/// <c>Dashboard:Enabled</c> is true. It is off by default because it puts a filter on every grain call,
/// which cost gets 4% of their rate (bench/README.md). It shows the cluster's inside, so it opens only with
/// the operator key (O-1), like the admin API. A browser sends it as the password of HTTP Basic
/// authentication, whatever the user name; tools send it as a bearer token.
/// </summary>
public static class OperatorDashboard
{
    public const string Path = "/dashboard";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Dashboard:Enabled", false);

    public static WebApplication MapOperatorDashboard(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
            return app;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), dashboard => dashboard.Use(async (context, next) =>
        {
            if (OperatorKeyOf(context.Request) is { } key
                && await context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IOperatorGrain>(IOperatorGrain.Key).VerifyKeyAsync(key))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"operator\", charset=\"UTF-8\"";
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }

    private static string? OperatorKeyOf(HttpRequest request)
    {
        if (BearerToken.TryRead(request, out var bearer))
            return bearer.Length <= 256 ? bearer : null;
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is not { Length: <= 512 } encoded)
            return null;
        Span<byte> decoded = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, decoded, out var length))
            return null;
        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var colon = credentials.IndexOf(':');
        return colon >= 0 && colon < credentials.Length - 1 ? credentials[(colon + 1)..] : null;
    }
}
