using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Gateway.Console;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Gateway.Portal;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityDirectory.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>
    /// What the gateway needs, whether it runs in a silo's process or as a client of the cluster: SCIM, the operator API
    /// and console, the caches the cluster keeps current, the console's key ring, and the first start's bootstrap.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddProblemDetails();
        services.AddOpenApi(AdminOpenApi.DocumentName, options =>
            options.ShouldInclude = description => description.RelativePath?.StartsWith("admin", StringComparison.Ordinal) == true);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(TokenCacheTimes.LivenessClock, TimeProvider.System);
        services.AddSingleton<ClusterSubscription>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterSubscription>());
        services.AddSingleton<TokenCache>();
        services.AddSingleton<TenantSettingsCache>();
        services.AddClusterKeyRing();
        services.AddOperatorConsole();
        services.AddHostedService<FirstStart>();
        services.Configure<KestrelServerOptions>(RequestEdge.ConfigureKestrel);
        return services;
    }

    /// <summary>
    /// Everything the gateway serves, whether it runs in a silo's process or as a client of the cluster: request ids
    /// on every response, the request edge (size limits first, and an error body on every error, DESIGN.md §4), the
    /// SCIM endpoints, the operator API and its OpenAPI document, and the access portal. Call it before mapping
    /// anything else, so that every request meets the edge first.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseRequestEdge();
        app.MapOpenApi("/admin/{documentName}.json");
        app.MapScimGateway();
        app.MapOperatorApi();
        app.MapAccessPortal();
        app.MapOperatorConsole();
        return app;
    }
}
