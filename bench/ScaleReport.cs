using System.Globalization;
using System.Text;

namespace IdentityDirectory.Bench;

public sealed record ScaleParameters(int Users, int Groups, int BigGroup, int Samples, int[] Concurrency, int LoadConcurrency,
    int PatchRepeats, double WalkCreatesPerSecond, int Seed);

public sealed record MachineInfo(int Cores, long MemoryMiB, string LoadAverageBefore, string? LoadAverageAfter);

public sealed record LoadSummary(int Users, int Groups, int BigGroupMembers, int SmallGroupMembers, double Seconds, List<PhaseResult> Phases);

/// <summary>The command run between the load and the lookups (--settle), and how long it took.</summary>
public sealed record SettleSummary(string Command, double Seconds, int ExitCode);

public sealed record PatchSummary(int BigGroupMembers, int SmallGroupMembers, PhaseResult BigGroup, PhaseResult SmallGroup, double P50Ratio, double P99Ratio);

public sealed record WalkSummary(int UsersBefore, int Pages, int Seen, int Duplicates, int Misses, int CreatedDuringWalk, int CreatedDuringWalkSeen,
    int Unexpected, double Seconds, PhaseResult Pages100, PhaseResult Creates);

public sealed record RssSummary(double? AfterLoadMiB, double? AfterTouchMiB, double? PeakMiB, PhaseResult Touch);

/// <summary>Everything <c>scale</c> measured; the cold start is added by <c>first201</c> afterwards.</summary>
public sealed class ScaleReport
{
    public required ScaleParameters Parameters { get; init; }
    public required MachineInfo Machine { get; set; }
    public LoadSummary? Load { get; set; }
    public SettleSummary? Settle { get; set; }
    public List<PhaseResult> Lookups { get; } = [];
    public PatchSummary? Patch { get; set; }
    public WalkSummary? Walk { get; set; }
    public RssSummary? Rss { get; set; }
    public int Errors { get; set; }
    public List<string> ErrorSamples { get; set; } = [];

    public const string Header = "measurement                              conc       ops    ops/s   p50 ms   p99 ms   max ms  errors";

    public static string Row(PhaseResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Phase,-40} {r.Concurrency,4} {r.Operations,9} {r.RequestsPerSecond,8:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F2} {r.Errors,7}");

    public string ToTable()
    {
        var table = new StringBuilder();
        void Line(string text) => table.AppendLine(text);
        Line(Header);
        if (Load is { } load)
        {
            foreach (var phase in load.Phases)
                Line(Row(phase));
        }
        foreach (var lookup in Lookups)
            Line(Row(lookup));
        if (Patch is { } patch)
        {
            Line(Row(patch.BigGroup));
            Line(Row(patch.SmallGroup));
        }
        if (Walk is { } walk)
        {
            Line(Row(walk.Pages100));
            Line(Row(walk.Creates));
        }
        if (Rss is { } rss)
            Line(Row(rss.Touch));
        Line("");
        if (Load is { } l)
            Line(string.Create(CultureInfo.InvariantCulture,
                $"load: {l.Users} users, {l.Groups} groups, big group {l.BigGroupMembers} members, small group {l.SmallGroupMembers} members in {l.Seconds:F0} s"));
        if (Settle is { } settle)
            Line(string.Create(CultureInfo.InvariantCulture, $"settle after the load: `{settle.Command}` took {settle.Seconds:F1} s, exit code {settle.ExitCode}"));
        if (Patch is { } p)
            Line(string.Create(CultureInfo.InvariantCulture,
                $"PATCH +100 members: {p.BigGroupMembers}-member group vs {p.SmallGroupMembers}-member group: p50 ratio {p.P50Ratio:F2}x, p99 ratio {p.P99Ratio:F2}x"));
        if (Walk is { } w)
            Line(string.Create(CultureInfo.InvariantCulture,
                $"cursor walk: {w.UsersBefore} users before, {w.Pages} pages, {w.Seen} seen in {w.Seconds:F1} s; duplicates {w.Duplicates}, misses {w.Misses}, unexpected ids {w.Unexpected}; created during walk {w.CreatedDuringWalk}, of which seen {w.CreatedDuringWalkSeen}"));
        if (Rss is { } r)
            Line(string.Create(CultureInfo.InvariantCulture,
                $"product RSS: after load {Mib(r.AfterLoadMiB)}, after touching every user {Mib(r.AfterTouchMiB)} (peak {Mib(r.PeakMiB)})"));
        Line($"load average: before {Machine.LoadAverageBefore}; after {Machine.LoadAverageAfter}");
        Line($"errors: {Errors}");
        return table.ToString();
    }

    private static string Mib(double? mib) => mib is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:F0} MiB") : "n/a (no --pid)";
}
