using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>What an operator sees when the embedded product starts from a fresh data directory (README, "Set up").</summary>
public sealed class CleanStartTests
{
    // README "Set up": a first start prints where the product is and its secrets, and no warning that means nothing for it
    // (the server-GC notes, the watchdog's stall at start); a warning there must mean something to the operator.
    [Fact]
    public async Task AFreshEmbeddedStartPrintsNoWarning()
    {
        await using var product = ProductProcess.Start(TestDirectories.New(), ownsDirectory: true);

        var lines = await product.ReadLinesThroughAsync("SCIM token: ");

        Assert.Contains(lines, line => line.StartsWith("Admin URL: ", StringComparison.Ordinal));
        var alarms = lines.Where(line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
            || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(alarms.Count == 0, "The start printed:\n" + string.Join('\n', lines));
    }
}
