using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using IdentityDirectory.Tests.Admin;
using IdentityDirectory.Tests.Infrastructure;
using Xunit.Abstractions;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// The cluster of scripts/cluster-local.sh (PostgreSQL, two silos, two gateways that are plain Orleans clients, each
/// its own process) as the script starts and stops it: one directory behind both gateways, a revocation through one
/// refused by the other at once, a silo killed under load without losing an acknowledged write, and nothing left
/// running after <c>down</c>.
/// </summary>
public sealed class ClusterLocalScriptTests(ITestOutputHelper output)
{
    private const int Creators = 8;
    private const int AcknowledgedBeforeKill = 40;

    [Fact]
    public async Task TheLocalClusterServesOneDirectoryThroughBothGatewaysAndLosesNoAcknowledgedWriteWhenASiloIsKilled()
    {
        await using var cluster = new LocalClusterScript();
        var printed = await cluster.UpAsync();
        var gateways = printed.Where(line => line.StartsWith("Gateway: ", StringComparison.Ordinal)).Select(line => new Uri(line["Gateway: ".Length..] + "/")).ToArray();
        Assert.Equal(2, gateways.Length);
        var operatorKey = After(printed, "Operator key: ");
        var endpoint = new Uri(After(printed, "SCIM endpoint: "));
        var token = After(printed, "SCIM token: ");
        Assert.Equal(new Uri(gateways[0], "admin/").ToString(), After(printed, "Admin URL: "));
        var status = await cluster.StatusAsync();
        Assert.All(LocalClusterScript.Components, component => Assert.Contains(status, line => line.StartsWith($"{component}: running", StringComparison.Ordinal)));

        var tenantPath = endpoint.AbsolutePath.TrimStart('/') + "/";
        var tenantId = tenantPath.Split('/')[0];
        using var scimOnFirst = ScimClient(new Uri(gateways[0], tenantPath).ToString(), token);
        using var scimOnSecond = ScimClient(new Uri(gateways[1], tenantPath).ToString(), token);
        var userId = await scimOnFirst.CreateUserAsync();
        await (await scimOnSecond.GetAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.OK);

        // Rule T-6: the second gateway has the token in its cache; deleted through the first gateway, it is refused
        // by the second as soon as the deletion returns.
        using var admin = BearerClient(new Uri(gateways[0], "admin/").ToString(), operatorKey);
        var newToken = await admin.CreateTokenAsync(tenantId);
        await (await scimOnSecond.GetAsync("ServiceProviderConfig")).ExpectAsync(HttpStatusCode.OK);
        await admin.DeleteTokenAsync(tenantId, token);
        await (await scimOnSecond.GetAsync("ServiceProviderConfig")).ExpectErrorAsync(HttpStatusCode.Unauthorized);

        using var first = ScimClient(new Uri(gateways[0], tenantPath).ToString(), newToken);
        using var second = ScimClient(new Uri(gateways[1], tenantPath).ToString(), newToken);
        await LosesNoAcknowledgedCreateWhenASiloIsKilledAsync(cluster, [first, second]);

        var pids = LocalClusterScript.Components.Select(cluster.PidOf).Append(cluster.PostgresPid()).ToArray();
        await cluster.DownAsync();
        Assert.All(pids, pid => Assert.False(LocalClusterScript.Runs(pid), $"process {pid} still runs after down"));
        foreach (var port in cluster.Ports)
            Assert.False(await LocalClusterScript.ListensAsync(port), $"port {port} still listens after down");
        Assert.All(await cluster.StatusAsync(), line => Assert.EndsWith(": stopped", line));
    }

    /// <summary>
    /// Eight creators write users through both gateways, retrying what fails, while silo1 is killed with SIGKILL. Every
    /// user answered 201 is read back afterwards (no acknowledged write lost), and writes succeed again after the kill.
    /// </summary>
    private async Task LosesNoAcknowledgedCreateWhenASiloIsKilledAsync(LocalClusterScript cluster, HttpClient[] gateways)
    {
        var acknowledged = new ConcurrentBag<(string Id, string UserName, TimeSpan Answered)>();
        var loadRuns = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new ConcurrentBag<(TimeSpan Started, TimeSpan Ended, string What)>();
        var clock = Stopwatch.StartNew();
        var killedTicks = -1L; // when silo1 was killed, on the clock; read by the creators
        // Writes have recovered once they have succeeded for 3 s in a row, at least 4 s after the kill.
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        async Task CreateAsync(int creator)
        {
            var gateway = gateways[creator % gateways.Length];
            while (!stop.IsCancellationRequested)
            {
                var user = UniqueUser();
                while (!stop.IsCancellationRequested)
                {
                    var started = clock.Elapsed;
                    var what = await TryCreateAsync(gateway, user);
                    if (what is null)
                        break;
                    failures.Add((started, clock.Elapsed, what));
                    await Task.Delay(50);
                }
            }
        }

        async Task<string?> TryCreateAsync(HttpClient gateway, System.Text.Json.Nodes.JsonObject user)
        {
            try
            {
                using var response = await gateway.PostJsonAsync("Users", user);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(((await response.ReadJsonAsync())["id"]!.GetValue<string>(), user["userName"]!.GetValue<string>(), clock.Elapsed));
                    if (acknowledged.Count >= AcknowledgedBeforeKill)
                        loadRuns.TrySetResult();
                    if (Interlocked.Read(ref killedTicks) is var ticks and >= 0)
                    {
                        var kill = TimeSpan.FromTicks(ticks);
                        var lastFailure = failures.IsEmpty ? kill : Max(failures.Max(failure => failure.Ended), kill);
                        if (clock.Elapsed - kill > TimeSpan.FromSeconds(4) && clock.Elapsed - lastFailure > TimeSpan.FromSeconds(3))
                            recovered.TrySetResult();
                    }
                    return null;
                }
                // A retry of a create whose answer was lost finds the user there: written, but never acknowledged.
                return response.StatusCode == HttpStatusCode.Conflict ? null : $"{(int)response.StatusCode}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                return exception.GetType().Name;
            }
        }

        var load = Enumerable.Range(0, Creators).Select(CreateAsync).ToArray();
        await loadRuns.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the kill meets a load in full swing, not its start
        var beforeKill = acknowledged.Count;
        Process.GetProcessById(cluster.PidOf("silo1")).Kill();
        var killedAt = clock.Elapsed;
        Interlocked.Exchange(ref killedTicks, killedAt.Ticks);
        // Load goes on until writes have recovered, or for 40 s: the assertions below then say what failed.
        try
        {
            await recovered.Task.WaitAsync(TimeSpan.FromSeconds(40));
        }
        catch (TimeoutException)
        {
        }
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var afterKill = failures.Where(failure => failure.Ended > killedAt).ToArray();
        var window = afterKill.Length == 0 ? TimeSpan.Zero : afterKill.Max(failure => failure.Ended) - killedAt;
        output.WriteLine($"{acknowledged.Count} users acknowledged ({beforeKill} before the kill), {failures.Count} failed attempts retried; " +
            $"writes failed until {window.TotalSeconds:0.0} s after the kill: {string.Join(", ", afterKill.GroupBy(failure => failure.What).Select(group => $"{group.Count()} × {group.Key}"))}");
        foreach (var failure in afterKill.OrderBy(failure => failure.Started))
            output.WriteLine($"  {failure.What}: sent {(failure.Started - killedAt).TotalSeconds:0.00} s after the kill, answered {(failure.Ended - killedAt).TotalSeconds:0.00} s after");
        Assert.Contains(acknowledged, user => user.Answered > killedAt + window); // writes continue after the last failure
        // A create cut off by the silo's death is answered 503 (retry), never 500: the failure is the cluster's, not the request's.
        Assert.All(failures, failure => Assert.Equal("503", failure.What));

        // No acknowledged write is lost: every user answered 201 is there, read through either gateway.
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged.Select((user, index) => (user, index)), new ParallelOptions { MaxDegreeOfParallelism = Creators }, async (entry, _) =>
        {
            using var response = await gateways[entry.index % gateways.Length].GetAsync($"Users/{entry.user.Id}");
            if (response.StatusCode != HttpStatusCode.OK || (await response.ReadJsonAsync())["userName"]!.GetValue<string>() != entry.user.UserName)
                missing.Add($"{entry.user.UserName}: {(int)response.StatusCode}");
        });
        Assert.Empty(missing);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string After(IReadOnlyList<string> printed, string prefix) =>
        printed.Single(line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
