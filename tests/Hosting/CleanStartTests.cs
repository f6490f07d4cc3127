using System.Diagnostics;
using System.Globalization;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>What an operator sees when the embedded product starts from a fresh data directory (README, "Set up").</summary>
public sealed class CleanStartTests
{
    private const string StallPrefix = "Participant check thread has not completed for ";

    // README "Set up", docs/decisions.md (Observability): a first start prints where the product is and its secrets, without
    // the false alarms Orleans raised at every start: the server-GC notes (the product runs the workstation GC on purpose), and
    // a participant-check stall longer than the process has lived (the watchdog reading an unset moment as the machine's boot),
    // data protection's note that its keys are stored unencrypted (a choice, docs/decisions.md "Operator console").
    // Real warnings stay: a machine starved for seconds at start is still reported.
    [Fact]
    public async Task AFreshEmbeddedStartPrintsNoFalseAlarm()
    {
        var clock = Stopwatch.StartNew();
        await using var product = ProductProcess.Start(TestDirectories.New(), ownsDirectory: true);

        var lines = await product.ReadLinesThroughAsync("SCIM token: ");

        Assert.Contains(lines, line => line.StartsWith("Admin URL: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("ServerGC", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("No XML encryptor configured", StringComparison.Ordinal));
        var stalls = lines.Select(line => line.IndexOf(StallPrefix, StringComparison.Ordinal) is var at and >= 0
                ? TimeSpan.Parse(line[(at + StallPrefix.Length)..].Split(',')[0], CultureInfo.InvariantCulture)
                : (TimeSpan?)null)
            .OfType<TimeSpan>();
        Assert.All(stalls, stall => Assert.True(stall <= clock.Elapsed, $"A stall of {stall} reported by a process {clock.Elapsed} old:\n{string.Join('\n', lines)}"));
    }
}
