namespace IdentityDirectory.Tests.Cluster;

/// <summary>A grain whose every acknowledged call is a persisted write: the failover tests count on it.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Returns once the entry is stored.</summary>
    Task AppendAsync(int entry);

    Task<IReadOnlyList<int>> EntriesAsync();
}

public sealed class LedgerGrain([PersistentState("ledger", DirectoryStorage.Name)] IPersistentState<LedgerState> ledger) : Grain, ILedgerGrain
{
    public async Task AppendAsync(int entry)
    {
        ledger.State.Entries.Add(entry);
        await ledger.WriteStateAsync();
    }

    public Task<IReadOnlyList<int>> EntriesAsync() => Task.FromResult<IReadOnlyList<int>>([.. ledger.State.Entries]);
}

[GenerateSerializer]
public sealed class LedgerState
{
    [Id(0)] public List<int> Entries { get; set; } = [];
}
