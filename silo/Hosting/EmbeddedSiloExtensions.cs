using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using IdentityDirectory.Tokens;
using IdentityDirectory.Webhooks;
using IdentityDirectory.Gateway.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>The embedded mode: one silo with localhost clustering, grain state and the directory store in one SQLite file.</summary>
public static class EmbeddedSiloExtensions
{
    public static WebApplicationBuilder AddEmbeddedDirectory(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var databasePath = Path.GetFullPath(configuration["Storage:Path"] ?? Path.Combine("data", "directory.db"));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString();

        builder.Services.BindDirectoryOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "identity-directory",
                clusterId: "embedded");
            silo.AddSqliteDirectory(connectionString);
            silo.AddDiagnostics(configuration);
        });
        return builder;
    }

    /// <summary>The product's options from their settings sections, in either mode.</summary>
    public static IServiceCollection BindDirectoryOptions(this IServiceCollection services)
    {
        services.AddOptions<DirectoryOptions>().BindConfiguration("Directory").BindConfiguration("Scim:Throttle");
        services.AddOptions<WebhookOptions>().BindConfiguration("Operator");
        services.AddOptions<TokenExpiryOptions>().BindConfiguration("Tokens");
        return services;
    }

    /// <summary>Trace propagation across grain calls when telemetry is on, and the dashboard when it is enabled.</summary>
    public static ISiloBuilder AddDiagnostics(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (TelemetryExtensions.IsEnabled(configuration))
            silo.AddActivityPropagation();
        if (OperatorDashboard.IsEnabled(configuration))
            silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Everything a silo needs on SQLite: the Orleans schema, grain storage and reminders through the ADO.NET providers,
    /// the directory store, and the services every silo needs whatever its storage (<see cref="AddDirectoryServices"/>).
    /// </summary>
    public static ISiloBuilder AddSqliteDirectory(this ISiloBuilder silo, string connectionString)
    {
        SqliteBusyWait.Install(); // before Orleans opens its first connection
        SqliteOrleansSchema.Apply(connectionString);
        silo.Services.AddSingleton<IDirectoryStore>(services => new SqliteDirectoryStore(connectionString, services.GetRequiredService<DirectoryMetrics>()));
        silo.Services.AddDirectoryServices();
        silo.AddExactKeyAdoNetGrainStorage(DirectoryStorage.Name, options => options.Configure(storage =>
        {
            storage.Invariant = SqliteOrleansSchema.Invariant;
            storage.ConnectionString = connectionString;
        }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = SqliteOrleansSchema.Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>
    /// What the grains and the co-hosted gateway need on every silo, whatever the storage: the system clock unless a
    /// test put its own, the product's instruments, the deletion rules of partitions, options
    /// and the webhook client.
    /// </summary>
    public static IServiceCollection AddDirectoryServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(TokenCacheTimes.LivenessClock, TimeProvider.System);
        services.AddDirectoryMetrics();
        services.AddSingleton<DeletionRules>();
        services.AddOptions<DirectoryOptions>();
        services.AddOptions<WebhookOptions>();
        services.AddOptions<TokenExpiryOptions>();
        services.AddHttpClient(nameof(WebhookGrain), client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }
}
