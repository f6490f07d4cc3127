namespace IdentityDirectory.Tokens;

[GenerateSerializer, Alias("IdentityDirectory.TokenState")]
public sealed class TokenState
{
    [Id(0)] public byte[] Salt { get; set; } = [];
    [Id(1)] public byte[] Hash { get; set; } = [];
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(4)] public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The scheduled instant of the last expiry notification emitted (T-8).</summary>
    [Id(5)] public DateTimeOffset? NotifiedThrough { get; set; }

    /// <summary>The directory partition the token opens (see <see cref="DirectoryPartition"/>).</summary>
    [Id(6)] public string Partition { get; set; } = "";

    public bool Exists => Hash.Length > 0;
}
