namespace IdentityDirectory.Directory;

/// <summary>A health event of a tenant (T-8), e.g. a token expiry notification; <see cref="Seq"/> orders them.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.DirectoryEvent")]
public sealed record DirectoryEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Type,
    [property: Id(2)] string Subject,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Detail);
