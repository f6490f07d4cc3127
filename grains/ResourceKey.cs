namespace IdentityDirectory;

/// <summary>Keys of tenant-scoped grains: <c>{tenantId}/{id}</c>. The tenant is part of every key.</summary>
public static class ResourceKey
{
    public static string Of(string tenantId, string id) => $"{tenantId}/{id}";

    public static (string TenantId, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
