
namespace IdentityDirectory.Assignments;

[GenerateSerializer, Immutable, Alias("IdentityDirectory.AssignmentRequest")]
public sealed record AssignmentRequest(
    [property: Id(0)] string PrincipalType,
    [property: Id(1)] string PrincipalId,
    [property: Id(2)] string Target,
    [property: Id(3)] string PermissionSet);

/// <summary>Access assignments of one tenant's live directory (keyed by tenant id): a user or group granted a permission set on a target.</summary>
public interface IAssignmentsGrain : IGrainWithStringKey
{
    Task<Assignment> CreateAsync(AssignmentRequest request);

    Task DeleteAsync(string assignmentId);

    Task<IReadOnlyList<Assignment>> ListAsync(string? principalId, string? target, long after, int count);

    /// <summary>A user's own assignments and those of its groups (S-5).</summary>
    Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(string userId);
}
