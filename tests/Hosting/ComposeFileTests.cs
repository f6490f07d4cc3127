using System.Diagnostics;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// docker-compose.yml (DESIGN §2, "Deployment modes"): PostgreSQL, two silos and two gateways, each with a
/// healthcheck, built from Dockerfiles in the repository. No Docker engine runs here, so docker-compose
/// validates the file (test.sh installs Debian's docker-compose); the images' entry points are checked against
/// the projects they build.
/// </summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task ComposeFileIsValidAndDescribesTheClusterTopology()
    {
        var (status, _, error) = await ComposeAsync(Path.Combine(Repository.Root, "docker-compose.yml"), "config", "-q");
        Assert.True(status == 0, error);

        var (_, services, _) = await ComposeAsync(Path.Combine(Repository.Root, "docker-compose.yml"), "config", "--services");
        Assert.Equal(["gateway1", "gateway2", "postgres", "silo1", "silo2"], services.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var (_, resolved, _) = await ComposeAsync(Path.Combine(Repository.Root, "docker-compose.yml"), "config");
        Assert.Equal(5, resolved.Split('\n').Count(line => line.Trim() == "healthcheck:"));
        Assert.Equal(6, resolved.Split('\n').Count(line => line.Trim() == "condition: service_healthy")); // silos wait for PostgreSQL, gateways for both silos
        Assert.Equal(2, resolved.Split('\n').Count(line => line.Trim() == "Role: silo"));
        foreach (var (dockerfile, assembly) in new[] { ("silo/Dockerfile", "IdentityDirectory.Silo.dll"), ("gateway/Dockerfile", "IdentityDirectory.GatewayHost.dll") })
        {
            Assert.Contains($"dockerfile: {dockerfile}", resolved);
            var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, dockerfile));
            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}\"]", text);
        }
    }

    [Fact]
    public async Task TheValidatorRefusesWhatItsVersionDoesNotKnow()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, "name: cluster\nservices:\n  db:\n    image: postgres:15\n");
        try
        {
            var (status, _, _) = await ComposeAsync(broken, "config", "-q");
            Assert.NotEqual(0, status);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static async Task<(int Status, string Output, string Error)> ComposeAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in (string[])["-f", file, .. arguments])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
