namespace IdentityDirectory.Bench;

/// <summary>
/// The user and system CPU of named groups of processes, each pid counted with its descendants (PostgreSQL's server
/// processes are the postmaster's children), from /proc: what a phase cost each part of the product.
/// </summary>
public sealed class ProcessCpu(IReadOnlyDictionary<string, int[]> groups)
{
    private const double MillisecondsPerTick = 10;

    /// <summary>Groups given as <c>name=pid,pid</c>, one per <c>--cpu</c> argument; none when no argument names one.</summary>
    public static ProcessCpu? Parse(string[] args)
    {
        var groups = new Dictionary<string, int[]>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] != "--cpu")
                continue;
            var (name, pids) = (args[i + 1].Split('=')[0], args[i + 1].Split('=')[1]);
            groups[name] = pids.Split(',').Select(int.Parse).ToArray();
        }
        return groups.Count == 0 ? null : new ProcessCpu(groups);
    }

    /// <summary>Each group's CPU so far, in milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Now()
    {
        var processes = new List<(int Pid, int Parent, long Ticks)>();
        foreach (var stat in System.IO.Directory.EnumerateDirectories("/proc").Where(path => int.TryParse(Path.GetFileName(path), out _)))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(stat, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                processes.Add((int.Parse(Path.GetFileName(stat)), int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12])));
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        var children = processes.ToLookup(process => process.Parent);
        var ticks = processes.ToDictionary(process => process.Pid, process => process.Ticks);
        long Tree(int pid) => ticks.GetValueOrDefault(pid) + children[pid].Sum(child => Tree(child.Pid));
        return groups.ToDictionary(group => group.Key, group => group.Value.Sum(Tree) * MillisecondsPerTick);
    }
}
