namespace IdentityDirectory.Store;

/// <summary>How a group-commit writer answers the writes of a group.</summary>
internal static class GroupAnswers
{
    /// <summary>Counts the group, then answers each write with its outcome: the count comes first, so a caller that got its answer finds its group counted.</summary>
    /// <returns>Whether a write of the group failed.</returns>
    public static bool Answer<TWork>(List<PendingWrite<TWork>> group, (object? Result, Exception? Error)[] outcomes, Action<int> committed)
    {
        committed(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Error is { } error)
                group[i].Completion.TrySetException(error);
            else
                group[i].Completion.TrySetResult(outcomes[i].Result);
        }
        return outcomes.Any(outcome => outcome.Error is not null);
    }

    /// <summary>Counts the group and fails every write of it with the error that ended it.</summary>
    public static bool Fail<TWork>(List<PendingWrite<TWork>> group, Exception error, Action<int> committed)
    {
        committed(group.Count);
        foreach (var pending in group)
            pending.Completion.TrySetException(error);
        return true;
    }
}
