namespace IdentityDirectory.Directory;

/// <summary>One audit record (O-5): who (operator or token id), what, on which resource, when, under which request.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Action,
    [property: Id(3)] string Target,
    [property: Id(4)] string? RequestId,
    [property: Id(5)] long Seq = 0);
