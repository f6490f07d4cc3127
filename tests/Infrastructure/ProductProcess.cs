using System.Diagnostics;
using System.Threading.Channels;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// The embedded product as its own operating-system process, the way `dotnet run --project silo`
/// starts it, on a data directory that outlives it: what a test needs to kill it with SIGKILL,
/// which an in-process host cannot survive, or to see what the process alone emits (its telemetry).
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly string? _ownedDirectory;
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();
    private int _endedStreams;

    private ProductProcess(Process process, Uri baseAddress, string? ownedDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        _ownedDirectory = ownedDirectory;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the product on <paramref name="dataDirectory"/> with the SCIM throttle off.</summary>
    /// <param name="ownsDirectory">whether the directory goes when this product is disposed (the last start on it).</param>
    /// <param name="settings">further command-line settings (<c>--Key value</c>), which win over the ones above.</param>
    public static ProductProcess Start(string dataDirectory, bool ownsDirectory, params string[] settings) =>
        Launch("IdentityDirectory.Silo.dll", ownsDirectory ? dataDirectory : null,
        [
            "--Storage:Path", Path.Combine(dataDirectory, "directory.db"),
            "--Orleans:SiloPort", FreePorts.Next().ToString(),
            "--Orleans:GatewayPort", FreePorts.Next().ToString(),
            "--Scim:Throttle:ReadsPerSecond", "0",
            "--Scim:Throttle:WritesPerSecond", "0",
            "--Scim:Throttle:MembershipChangesPerSecond", "0",
            ..settings,
        ]);

    /// <summary>
    /// A gateway alone (gateway/), an Orleans client of the cluster its <paramref name="settings"/> name, with a home
    /// folder of its own, as on a machine of its own: nothing it keeps outside the cluster is shared with another.
    /// </summary>
    public static ProductProcess StartGateway(params string[] settings)
    {
        var home = TestDirectories.New();
        System.IO.Directory.CreateDirectory(home);
        return Launch(GatewayHost, home, settings, home);
    }

    /// <summary>
    /// The gateway host as its own build put it, with its own settings beside it: the test output cannot hold it,
    /// since its appsettings.json would overwrite the silo's. It is built in the same configuration as the tests.
    /// </summary>
    private static string GatewayHost => Path.Combine(Repository.Root, "gateway", "bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "IdentityDirectory.GatewayHost.dll");

    private static ProductProcess Launch(string assembly, string? ownedDirectory, IEnumerable<string> settings, string? home = null)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, assembly), "--Port", port.ToString(), ..settings])
            start.ArgumentList.Add(argument);
        if (home is not null)
            start.Environment["HOME"] = home;
        var process = new Process { StartInfo = start };
        var product = new ProductProcess(process, new Uri($"http://127.0.0.1:{port}/"), ownedDirectory);
        process.OutputDataReceived += (_, line) => product.Received(line.Data);
        process.ErrorDataReceived += (_, line) => product.Received(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return product;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200; fails if it does not within the start limit.</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartLimit)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The process exited with {_process.ExitCode} before it was ready.");
            try
            {
                if ((await client.GetAsync("readyz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The process did not become ready.");
    }

    /// <summary>The text after <paramref name="prefix"/> on the first printed line that starts with it; fails if the product exits first.</summary>
    public async Task<string> ReadLineAfterAsync(string prefix) => (await ReadLinesThroughAsync(prefix))[^1][prefix.Length..];

    /// <summary>Every line printed (standard output and error) up to the first that starts with <paramref name="prefix"/>, that one included.</summary>
    public async Task<IReadOnlyList<string>> ReadLinesThroughAsync(string prefix)
    {
        using var limit = new CancellationTokenSource(StartLimit);
        var seen = new List<string>();
        await foreach (var line in _output.Reader.ReadAllAsync(limit.Token))
        {
            seen.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return seen;
        }
        throw new InvalidOperationException($"The product ended without printing '{prefix}':\n{string.Join('\n', seen)}");
    }

    /// <summary>The exit code of a process that ends by itself; fails if it still runs after the start limit.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var limit = new CancellationTokenSource(StartLimit);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>A printed line, or (null) the end of one of the two streams; the output ends with the second.</summary>
    private void Received(string? line)
    {
        if (line is not null)
            _output.Writer.TryWrite(line);
        else if (Interlocked.Increment(ref _endedStreams) == 2)
            _output.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync();
        _process.Dispose();
        if (_ownedDirectory is not null && System.IO.Directory.Exists(_ownedDirectory))
            System.IO.Directory.Delete(_ownedDirectory, recursive: true);
    }

    /// <summary>The dotnet host the tests run under, so the product runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
