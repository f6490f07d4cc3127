using IdentityDirectory.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        SqliteOrleansSchema.Apply(connectionString);
        builder.Services.AddSingleton<IDirectoryStore>(_ => new SqliteDirectoryStore(connectionString));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DirectoryOptions>().BindConfiguration("Directory");

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "identity-directory",
                clusterId: "embedded");
            silo.AddAdoNetGrainStorage(DirectoryStorage.Name, options =>
            {
                options.Invariant = SqliteOrleansSchema.Invariant;
                options.ConnectionString = connectionString;
            });
        });
        return builder;
    }
}
