namespace IdentityDirectory;

/// <summary>
/// A tenant's directory as the store and the resource grains key it: the tenant, plus a generation
/// after an identity-source change wiped the directory (I-1, I-6). Flipping the generation makes the
/// whole old directory invisible at once (I-8); its rows are purged afterwards. <see cref="Key"/> is
/// the partition's text in grain keys, tokens and the store's rows: the tenant id alone for the
/// first generation, <c>{tenantId}~{generation}</c> after.
/// </summary>
public readonly record struct DirectoryPartition(string TenantId, int Generation)
{
    private const char Separator = '~';

    /// <summary>The first directory of a tenant, before any wipe.</summary>
    public static DirectoryPartition First(string tenantId) => new(tenantId, 0);

    public string Key => Generation == 0 ? TenantId : $"{TenantId}{Separator}{Generation}";

    /// <summary>The partition whose <see cref="Key"/> is <paramref name="key"/>.</summary>
    public static DirectoryPartition Parse(string key)
    {
        var separator = key.IndexOf(Separator);
        return separator < 0 ? First(key) : new(key[..separator], int.Parse(key.AsSpan(separator + 1)));
    }

    /// <summary>
    /// The key range of every later-generation partition of the tenant: from <c>{tenantId}~</c> up to,
    /// not including, the tenant id followed by the character after <c>~</c>. A range, unlike a LIKE
    /// pattern, is searched through the tenant indexes.
    /// </summary>
    public static (string From, string Before) LaterGenerations(string tenantId) =>
        ($"{tenantId}{Separator}", $"{tenantId}{(char)(Separator + 1)}");

    public override string ToString() => Key;
}
