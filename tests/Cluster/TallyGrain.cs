namespace IdentityDirectory.Tests.Cluster;

/// <summary>A second grain type, used with the same keys as <see cref="LedgerGrain"/> under a state name of its own.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int amount);
}

public sealed class TallyGrain([PersistentState("tally", DirectoryStorage.Name)] IPersistentState<TallyState> tally) : Grain, ITallyGrain
{
    public async Task<int> AddAsync(int amount)
    {
        tally.State.Total += amount;
        await tally.WriteStateAsync();
        return tally.State.Total;
    }
}

[GenerateSerializer]
public sealed class TallyState
{
    [Id(0)] public int Total { get; set; }
}
