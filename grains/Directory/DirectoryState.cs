namespace IdentityDirectory.Directory;

[GenerateSerializer, Alias("IdentityDirectory.DirectoryState")]
public sealed class DirectoryState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public string IdentityStoreId { get; set; } = "";
    [Id(3)] public IdentitySource Source { get; set; }
    [Id(4)] public bool ProvisioningEnabled { get; set; }
    [Id(5)] public List<string> TokenIds { get; set; } = [];
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public string? ExternalIdpName { get; set; }

    /// <summary>T-9: the token reminder, once shown, stays until rotation is complete.</summary>
    [Id(8)] public bool TokenReminder { get; set; }

    /// <summary>Settings the operator changed (O-3); absent ones follow the cluster defaults.</summary>
    [Id(9)] public TenantSettingsChange Settings { get; set; } = new();

    /// <summary>Bumped when an identity-source change wipes the directory (I-1, I-6); names the live partition.</summary>
    [Id(10)] public int Generation { get; set; }

    /// <summary>When each earlier generation was retired (I-8): its sessions end at most two hours later (S-4).</summary>
    [Id(11)] public Dictionary<int, DateTimeOffset> RetiredAt { get; set; } = [];

    /// <summary>Retired generations whose rows are still to be purged.</summary>
    [Id(12)] public List<int> PendingPurge { get; set; } = [];

    /// <summary>The tenant was deleted (O-2) and its rows are still being purged; it exists for nobody meanwhile.</summary>
    [Id(13)] public bool Deleting { get; set; }

    /// <summary>When the tenant was deleted: its rows are swept again until no write admitted before it can still land.</summary>
    [Id(14)] public DateTimeOffset DeletedAt { get; set; }
}
