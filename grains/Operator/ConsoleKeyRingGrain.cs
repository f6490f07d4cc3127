namespace IdentityDirectory.Operator;

public sealed class ConsoleKeyRingGrain(
    [PersistentState("console-key-ring", DirectoryStorage.Name)] IPersistentState<ConsoleKeyRingState> ring) : Grain, IConsoleKeyRingGrain
{
    public Task<IReadOnlyList<string>> GetKeysAsync() => Task.FromResult<IReadOnlyList<string>>(ring.State.Keys.ToList());

    public async Task AddKeyAsync(string key)
    {
        ring.State.Keys.Add(key);
        await ring.WriteStateAsync();
    }
}
