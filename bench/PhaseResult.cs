namespace IdentityDirectory.Bench;

public sealed record PhaseResult(string Phase, int Concurrency, int Operations, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Operations / Seconds;

    /// <summary>The product's CPU per request of the phase, in microseconds, when the driver knows the product's process.</summary>
    public double? CpuMicrosecondsPerRequest { get; init; }

    /// <summary>CPU per request of each group of processes named with <c>--cpu</c> (a cluster's silos, gateways and PostgreSQL), in ms.</summary>
    public IReadOnlyDictionary<string, double>? CpuMsPerRequestOf { get; init; }

    public const string Header = "phase            conc      ops    req/s   p50 ms   p99 ms   max ms  errors";

    public string ToRow() =>
        $"{Phase,-16} {Concurrency,4} {Operations,8} {RequestsPerSecond,8:F0} {P50Ms,8:F2} {P99Ms,8:F2} {MaxMs,8:F2} {Errors,7}"
        + (CpuMicrosecondsPerRequest is { } cpu ? $" {cpu,10:F0}" : "")
        + (CpuMsPerRequestOf is null ? "" : "  " + string.Join(' ', CpuMsPerRequestOf.Select(group => $"{group.Key} {group.Value:F2}")));

    public const string CpuHeader = "  cpu µs/req";

    public static PhaseResult From(string phase, int concurrency, List<double> latenciesMs, int errors, double seconds)
    {
        latenciesMs.Sort();
        double At(double q) => latenciesMs.Count == 0 ? 0 : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(q * latenciesMs.Count) - 1)];
        return new PhaseResult(phase, concurrency, latenciesMs.Count, errors, seconds, At(0.50), At(0.99), latenciesMs.LastOrDefault());
    }
}
