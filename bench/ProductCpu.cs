namespace IdentityDirectory.Bench;

/// <summary>The product's CPU as /proc counts it: user and system time of its process, in clock ticks of 10 ms.</summary>
public static class ProductCpu
{
    /// <summary>The CPU the process has used so far, in milliseconds; 0 without a process to read.</summary>
    public static double Milliseconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
            return 0;
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10.0;
    }
}
