using System.Diagnostics;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// The clock of Orleans' membership and health checks, counting from the moment the silo is built rather than
/// from the machine's boot. Orleans 10.4.2's watchdog starts its runtime-stall thread before it records when the
/// participant check last ran, so on a busy machine (two cores) the first runtime check reads that moment as 0
/// and reports "Participant check thread has not completed for" the machine's uptime, and records it as a local
/// health complaint. Counted from here, the unset moment is at most the few seconds the silo took to start,
/// under the check's threshold; a real stall of the check still exceeds it. Only the origin of timestamps
/// moves: their frequency, and every duration measured between two of them, stay the system's.
/// </summary>
public sealed class SiloStartClock : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public static void Install(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider, SiloStartClock>(TimeProviderNames.Membership);

    public override long GetTimestamp() => Stopwatch.GetTimestamp() - _origin;
}
