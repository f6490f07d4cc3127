using System.Collections.Concurrent;

namespace IdentityDirectory.Directory;

/// <summary>
/// What deleting a user or group of a partition does with its assignments (I-2: only ActiveDirectory
/// keeps them), for each partition this silo has deleted in. The directory grain is asked once per
/// partition rather than on every delete, because a partition's answer cannot change: every
/// identity-source change into or out of ActiveDirectory wipes the directory and moves the tenant to
/// a new partition (I-1, I-6; test <c>DeletionRuleTests</c>). Only the directory's answer for its
/// current partition is kept, so a delete that reaches a retired partition asks again.
/// </summary>
public sealed class DeletionRules(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<DirectoryPartition, bool> _keepsAssignments = new();

    public async ValueTask<bool> KeepsAssignmentsAsync(DirectoryPartition partition)
    {
        if (_keepsAssignments.TryGetValue(partition, out var keeps))
            return keeps;
        var rule = await grains.Reference<IDirectoryGrain>(partition.TenantId).GetDeletionRuleAsync();
        if (rule.Partition is not null)
            _keepsAssignments.TryAdd(DirectoryPartition.Parse(rule.Partition), rule.KeepsAssignments);
        return rule.KeepsAssignments;
    }
}
