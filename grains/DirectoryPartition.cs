namespace IdentityDirectory;

/// <summary>
/// The directory store and the resource grains are keyed by a tenant's partition: its id, plus a
/// generation after an identity-source change wiped the directory (I-1, I-6). Flipping the
/// generation makes the whole old directory invisible at once (I-8); its rows are purged afterwards.
/// </summary>
public static class DirectoryPartition
{
    private const char Separator = '~';

    public static string Of(string tenantId, int generation) => generation == 0 ? tenantId : $"{tenantId}{Separator}{generation}";

    /// <summary>
    /// The key range of every later-generation partition of the tenant: from <c>{tenantId}~</c> up to,
    /// not including, the tenant id followed by the character after <c>~</c>. A range, unlike a LIKE
    /// pattern, is searched through the tenant indexes.
    /// </summary>
    public static (string From, string Before) LaterGenerations(string tenantId) =>
        ($"{tenantId}{Separator}", $"{tenantId}{(char)(Separator + 1)}");

    public static string TenantOf(string partition)
    {
        var separator = partition.IndexOf(Separator);
        return separator < 0 ? partition : partition[..separator];
    }
}
