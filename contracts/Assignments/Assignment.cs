namespace IdentityDirectory.Assignments;

/// <summary>A principal (user or group) granted a permission set on a target (an account or application).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.Assignment")]
public sealed record Assignment(
    [property: Id(0)] string Id,
    [property: Id(1)] string PrincipalType,
    [property: Id(2)] string PrincipalId,
    [property: Id(3)] string Target,
    [property: Id(4)] string PermissionSet,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] long Seq = 0);
