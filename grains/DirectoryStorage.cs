namespace IdentityDirectory;

/// <summary>The Orleans grain-storage provider that holds small grain state (tenant settings, tokens).</summary>
public static class DirectoryStorage
{
    public const string Name = "directory";
}
