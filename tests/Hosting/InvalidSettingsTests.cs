using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// A setting a process cannot start with stops it with one line that names the setting, never its value, and exit code
/// 2: no stack trace for an operator's typo (docs/operations.md, "Cluster configuration").
/// </summary>
public sealed class InvalidSettingsTests
{
    private const string Secret = "s3cret-value";

    /// <summary>Npgsql 10 reads <c>Maximum Pool Size</c>, not <c>Max Pool Size</c>.</summary>
    private const string UnreadableConnectionString = $"Host=127.0.0.1;Password={Secret};Max Pool Size=4";

    [Theory]
    [InlineData("Invalid settings: Storage:Provider 'Mongo' is not known: use Sqlite or Postgres.", "--Storage:Provider", "Mongo")]
    [InlineData("Invalid settings: Storage:Provider is Postgres, so Storage:ConnectionString must name the PostgreSQL database.", "--Storage:Provider", "Postgres")]
    [InlineData("Invalid settings: Storage:ConnectionString is not a connection string Npgsql reads:", "--Storage:Provider", "Postgres", "--Storage:ConnectionString", UnreadableConnectionString)]
    [InlineData("Invalid settings: Role 'gateway' is not one of both, silo", "--Role", "gateway")]
    public async Task ASiloStopsWithTheSettingToFix(string expected, params string[] settings)
    {
        await using var silo = ProductProcess.Start(TestDirectories.New(), ownsDirectory: true, settings);
        await AssertStoppedAsync(silo, expected);
    }

    [Theory]
    [InlineData("Invalid settings: Storage:Provider 'Mongo' is not one of Postgres, Sqlite.", "--Storage:Provider", "Mongo")]
    [InlineData("Invalid settings: Storage:ConnectionString is not a connection string Npgsql reads:", "--Storage:Provider", "Postgres", "--Storage:ConnectionString", UnreadableConnectionString)]
    public async Task AGatewayStopsWithTheSettingToFix(string expected, params string[] settings)
    {
        await using var gateway = ProductProcess.StartGateway(settings);
        await AssertStoppedAsync(gateway, expected);
    }

    private static async Task AssertStoppedAsync(ProductProcess process, string expected)
    {
        var printed = await process.ReadLinesThroughAsync("Invalid settings: ");

        Assert.StartsWith(expected, printed[^1]);
        Assert.Equal(InvalidSettingsException.ExitCode, await process.ExitCodeAsync());
        Assert.DoesNotContain(printed, line => line.Contains(Secret) || line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}
