namespace IdentityDirectory.Assignments;

/// <summary>What a user may reach: a target with a permission set (S-5).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.AccessGrant")]
public sealed record AccessGrant(
    [property: Id(0)] string Target,
    [property: Id(1)] string PermissionSet);
