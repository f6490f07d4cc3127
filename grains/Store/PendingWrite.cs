namespace IdentityDirectory.Store;

/// <summary>A write queued for a group-commit writer (<see cref="SqliteGroupCommitWriter"/>, <see cref="PostgresGroupCommitWriter"/>), answered once its group is done.</summary>
internal sealed record PendingWrite<TWork>(TWork Work, string TenantId = "")
{
    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
