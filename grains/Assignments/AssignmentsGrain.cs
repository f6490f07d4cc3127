using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Orleans.Concurrency;

namespace IdentityDirectory.Assignments;

[StatelessWorker]
public sealed class AssignmentsGrain(IDirectoryStore store, TimeProvider time) : Grain, IAssignmentsGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public async Task<Assignment> CreateAsync(AssignmentRequest request)
    {
        if (request.PrincipalType is not ("User" or "Group"))
            throw ScimException.InvalidValue("principalType must be User or Group.");
        if (string.IsNullOrWhiteSpace(request.PrincipalId) || string.IsNullOrWhiteSpace(request.Target) || string.IsNullOrWhiteSpace(request.PermissionSet))
            throw ScimException.InvalidValue("principalId, target and permissionSet are required.");
        var assignment = new Assignment(Guid.NewGuid().ToString(), request.PrincipalType, request.PrincipalId, request.Target,
            request.PermissionSet, time.GetUtcNow());
        try
        {
            await store.AddAssignmentAsync(await PartitionAsync(), assignment, AuditContext.Entry(time, "CreateAssignment", $"Assignment/{assignment.Id}"));
        }
        catch (UnknownPrincipalException e)
        {
            throw ScimException.InvalidValue(e.Message);
        }
        catch (UniqueConstraintException)
        {
            throw new ScimException(409, ScimTypes.Uniqueness, "The principal already holds this permission set on this target.");
        }
        return assignment;
    }

    public async Task DeleteAsync(string assignmentId)
    {
        if (!await store.DeleteAssignmentAsync(await PartitionAsync(), assignmentId, AuditContext.Entry(time, "DeleteAssignment", $"Assignment/{assignmentId}")))
            throw ScimException.NotFound($"Assignment {assignmentId} not found.");
    }

    public async Task<IReadOnlyList<Assignment>> ListAsync(string? principalId, string? target, long after, int count) =>
        await store.ListAssignmentsAsync(await PartitionAsync(), principalId, target, after, count);

    public async Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(string userId) =>
        await store.EffectiveAccessAsync(await PartitionAsync(), userId);

    private async Task<DirectoryPartition> PartitionAsync() =>
        DirectoryPartition.Parse(await GrainFactory.Reference<IDirectoryGrain>(TenantId).GetPartitionAsync());
}
