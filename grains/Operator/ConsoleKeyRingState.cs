namespace IdentityDirectory.Operator;

/// <summary>Data protection keys: a new one every 90 days by default, each a few hundred bytes of XML.</summary>
[GenerateSerializer, Alias("IdentityDirectory.ConsoleKeyRingState")]
public sealed class ConsoleKeyRingState
{
    [Id(0)] public List<string> Keys { get; set; } = [];
}
