using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Gateway.Portal;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityDirectory.Gateway;

public static class GatewayServiceExtensions
{
    public static IServiceCollection AddScimGateway(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddProblemDetails();
        services.AddOpenApi(AdminOpenApi.DocumentName, options =>
            options.ShouldInclude = description => description.RelativePath?.StartsWith("admin", StringComparison.Ordinal) == true);
        services.AddSingleton<ScimThrottle>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(TokenCacheTimes.LivenessClock, TimeProvider.System);
        services.AddSingleton<ClusterSubscription>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterSubscription>());
        services.AddSingleton<TokenCache>();
        services.AddSingleton<TenantSettingsCache>();
        return services;
    }

    /// <summary>
    /// Everything the gateway serves, whether it runs in a silo's process or as a client of the cluster: request ids
    /// on every response, the SCIM endpoints, the operator API and its OpenAPI document, the access portal, and a
    /// SCIM 404 for any path the gateway does not serve.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRequestIds();
        app.MapOpenApi("/admin/{documentName}.json");
        app.MapScimGateway();
        app.MapOperatorApi();
        app.MapAccessPortal();
        app.MapFallback((HttpContext context) => ScimResults.Error(
            IdentityDirectory.Scim.ScimException.NotFound($"{context.Request.Path} is not served here.")));
        return app;
    }
}
