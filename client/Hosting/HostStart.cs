using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>What the silo and gateway hosts share at start: running them, and the settings both read.</summary>
public static class HostStart
{
    /// <summary>A host's whole life (<paramref name="host"/> builds and runs it); the process's exit code.</summary>
    public static int Run(Action host)
    {
        try
        {
            host();
            return 0;
        }
        catch (InvalidSettingsException e)
        {
            System.Console.Error.WriteLine($"Invalid settings: {e.Message}");
            return InvalidSettingsException.ExitCode;
        }
    }

    /// <summary><c>Storage:ConnectionString</c> of cluster mode: given, and a connection string Npgsql reads.</summary>
    public static string PostgresConnectionString(IConfiguration configuration)
    {
        if (configuration["Storage:ConnectionString"] is not { Length: > 0 } connectionString)
            throw new InvalidSettingsException("Storage:Provider is Postgres, so Storage:ConnectionString must name the PostgreSQL database.");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingsException($"Storage:ConnectionString is not a connection string Npgsql reads: {e.Message}");
        }
        return connectionString;
    }
}
