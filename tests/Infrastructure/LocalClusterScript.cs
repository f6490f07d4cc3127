using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// scripts/cluster-local.sh as an operator runs it: PostgreSQL, two silos and two gateways as processes of their own,
/// here on free loopback ports and in a fresh folder, from the Release builds already there (no rebuild), with the
/// SCIM throttle off. Disposing it takes the cluster down and removes the folder.
/// </summary>
public sealed class LocalClusterScript : IAsyncDisposable
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(4); // a start on a machine busy with a whole test run
    public static readonly string[] Components = ["silo1", "silo2", "gateway1", "gateway2"];
    private readonly Dictionary<string, string> _environment;
    private bool _down = true;

    public LocalClusterScript()
    {
        Directory = TestDirectories.New();
        var postgresPort = FreePorts.Next();
        var gatewayPort = FreePortPair();
        var siloHttpPort = FreePortPair();
        var siloPort = FreePortPair();
        var orleansGatewayPort = FreePortPair();
        Ports = [postgresPort, gatewayPort, gatewayPort + 1, siloHttpPort, siloHttpPort + 1, siloPort, siloPort + 1, orleansGatewayPort, orleansGatewayPort + 1];
        _environment = new()
        {
            ["CLUSTER_DIR"] = Directory,
            ["CLUSTER_SKIP_BUILD"] = "1",
            ["CLUSTER_POSTGRES_PORT"] = postgresPort.ToString(),
            ["CLUSTER_GATEWAY_PORT"] = gatewayPort.ToString(),
            ["CLUSTER_SILO_HTTP_PORT"] = siloHttpPort.ToString(),
            ["CLUSTER_SILO_PORT"] = siloPort.ToString(),
            ["CLUSTER_ORLEANS_GATEWAY_PORT"] = orleansGatewayPort.ToString(),
            ["Scim__Throttle__ReadsPerSecond"] = "0",
            ["Scim__Throttle__WritesPerSecond"] = "0",
            ["Scim__Throttle__MembershipChangesPerSecond"] = "0",
        };
    }

    public string Directory { get; }

    /// <summary>Every port the cluster listens on: PostgreSQL, the gateways, the silos' HTTP, silo and gateway ports.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Runs <c>up</c> and returns what it printed, one line each.</summary>
    public async Task<IReadOnlyList<string>> UpAsync()
    {
        _down = false;
        return await RunAsync("up");
    }

    public async Task<IReadOnlyList<string>> DownAsync()
    {
        var printed = await RunAsync("down");
        _down = true;
        return printed;
    }

    public Task<IReadOnlyList<string>> StatusAsync() => RunAsync("status");

    /// <summary>The pid the script recorded for a component (silo1, silo2, gateway1, gateway2).</summary>
    public int PidOf(string component) => int.Parse(File.ReadAllText(Path.Combine(Directory, component + ".pid")).Trim());

    /// <summary>The PostgreSQL server's pid, from its own pid file.</summary>
    public int PostgresPid() => int.Parse(File.ReadLines(Path.Combine(Directory, "postgres", "postmaster.pid")).First());

    /// <summary>Whether a process with this pid runs (a zombie, which only waits for its parent to collect it, does not).</summary>
    public static bool Runs(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether anything accepts connections on this loopback port.</summary>
    public static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<string>> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "cluster-local.sh"));
        start.ArgumentList.Add(command);
        foreach (var (name, value) in _environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptLimit);
        await process.WaitForExitAsync(limit.Token);
        var printed = await output;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"cluster-local.sh {command} exited with {process.ExitCode}:\n{printed}\n{await errors}");
        return printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A free port whose next port is free too: the script numbers the second silo's and gateway's ports so.</summary>
    private static int FreePortPair()
    {
        while (true)
        {
            var port = FreePorts.Next();
            if (port >= IPEndPoint.MaxPort)
                continue;
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_down)
            await DownAsync();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
