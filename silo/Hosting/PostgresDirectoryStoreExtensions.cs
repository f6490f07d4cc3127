using IdentityDirectory.Store;
using IdentityDirectory.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The directory store on PostgreSQL (cluster mode): one <see cref="NpgsqlDataSource"/> per process, whose
/// pooled connections every store call uses; its schema is applied when the store is first resolved.
/// </summary>
public static class PostgresDirectoryStoreExtensions
{
    /// <summary>
    /// The store over the process's data source: the one already registered (shared, for instance, with the
    /// Orleans providers), else one built from <paramref name="connectionString"/>
    /// (<see cref="PostgresDirectoryStore.CreateDataSource"/>), which the container disposes.
    /// </summary>
    public static IServiceCollection AddPostgresDirectoryStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => PostgresDirectoryStore.CreateDataSource(connectionString));
        return services.AddPostgresDirectoryStore(provider => provider.GetRequiredService<NpgsqlDataSource>());
    }

    /// <summary>The store over a data source the caller owns.</summary>
    public static IServiceCollection AddPostgresDirectoryStore(this IServiceCollection services, NpgsqlDataSource dataSource) =>
        services.AddPostgresDirectoryStore(_ => dataSource);

    private static IServiceCollection AddPostgresDirectoryStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        services.AddDirectoryMetrics();
        services.AddSingleton<IDirectoryStore>(provider => new PostgresDirectoryStore(dataSource(provider), provider.GetRequiredService<DirectoryMetrics>()));
        return services;
    }
}
