namespace IdentityDirectory.Store;

/// <summary>What a purge deletes, in both engines: the tables in the order it empties them, and the rows of them that <see cref="Where"/> selects.</summary>
internal sealed record PurgeScope(IReadOnlyList<string> Tables, string Where, (string, object?)[] Parameters)
{
    /// <summary>The tables that hold a directory's rows (the usage counts last).</summary>
    private static readonly string[] DirectoryTables = ["directory_members", "directory_assignments", "directory_users", "directory_groups", "directory_usage"];

    /// <summary>A retired directory of a tenant (I-8).</summary>
    public static PurgeScope Directory(DirectoryPartition partition) => new(DirectoryTables, "tenant_id = @t", [("@t", partition.Key)]);

    /// <summary>A deleted tenant (O-2): its own rows, keyed by the tenant id alone, and its directories of every generation.</summary>
    public static PurgeScope Tenant(string tenantId)
    {
        var later = DirectoryPartition.LaterGenerations(tenantId);
        return new(["directory_events", "directory_audit_log", .. DirectoryTables], "(tenant_id = @t OR (tenant_id >= @from AND tenant_id < @before))",
            [("@t", tenantId), ("@from", later.From), ("@before", later.Before)]);
    }
}
