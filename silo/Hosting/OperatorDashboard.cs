using IdentityDirectory.Gateway.Admin;
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
            if (await OperatorKey.IsPresentedAsync(context.Request, context.RequestServices.GetRequiredService<IGrainFactory>(), acceptBasic: true))
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
}
