using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// A setting a process cannot start with. The hosts print its message as one line and exit with 2, so an operator's
/// typo reads as what to fix, not as a crash with a stack trace. Messages name settings, never their values.
/// </summary>
public sealed class InvalidSettingsException(string message) : Exception(message)
{
    public const int ExitCode = 2;

    /// <summary>A host's whole life (<paramref name="host"/> builds and runs it); the process's exit code.</summary>
    public static int Guard(Action host)
    {
        try
        {
            host();
            return 0;
        }
        catch (InvalidSettingsException e)
        {
            System.Console.Error.WriteLine($"Invalid settings: {e.Message}");
            return ExitCode;
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
