namespace IdentityDirectory;

/// <summary>Keys of tenant-scoped grains: <c>{tenantId}/{id}</c>. The tenant is part of every key.</summary>
public static class ResourceKey
{
    public static string Of(string tenantId, string id) => $"{tenantId}/{id}";

    /// <summary>
    /// A new user or group id: a lowercase UUID (R-META-1) of version 7, whose leading bits are the
    /// creation time, so that ids created together sort together and the store's id indexes are
    /// written at their end rather than at a random page per write (bench/PROFILE.md).
    /// </summary>
    public static string NewId(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString();

    public static (string TenantId, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
