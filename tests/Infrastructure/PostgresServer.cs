using System.Diagnostics;
using Npgsql;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the test run. <c>./test.sh</c> starts a throwaway one and names it in
/// <c>IDENTITY_DIRECTORY_TEST_POSTGRES</c>; a run without it (an IDE, a plain <c>dotnet test</c>)
/// starts its own with the same script and stops it when the process exits. Every test class takes
/// databases of its own from it (<see cref="CreateDatabaseAsync"/>), so nothing is shared between tests.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "IDENTITY_DIRECTORY_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string, without a database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A new, empty database; its name starts with <paramref name="prefix"/>.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    private static string StartOrFind()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
            return given;
        var script = Path.Combine(Repository.Root, "scripts", "postgres-throwaway.sh");
        var directory = Path.Combine(Path.GetTempPath(), $"idir-test-postgres-{Environment.ProcessId}");
        var port = FreePorts.Next();
        Run(script, "install");
        Run(script, "start", directory, port.ToString(), "fast");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run(script, "stop", directory);
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres";
    }

    private static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed: {error}");
    }
}
