namespace IdentityDirectory.Operator;

[GenerateSerializer, Alias("IdentityDirectory.OperatorState")]
public sealed class OperatorState
{
    [Id(0)] public byte[] KeySalt { get; set; } = [];
    [Id(1)] public byte[] KeyHash { get; set; } = [];
    [Id(2)] public string? DemoTenantId { get; set; }
}
