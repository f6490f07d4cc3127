using IdentityDirectory.Store;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Operator;

public sealed class OperatorGrain(
    [PersistentState("operator", DirectoryStorage.Name)] IPersistentState<OperatorState> state,
    IDirectoryStore store) : Grain, IOperatorGrain
{
    public async Task<OperatorBootstrap> BootstrapAsync()
    {
        if (state.State.KeyHash.Length > 0)
            return new OperatorBootstrap(null, state.State.DemoTenantId);
        var key = SecretHasher.NewSecret();
        (state.State.KeySalt, state.State.KeyHash) = SecretHasher.Hash(key);
        await state.WriteStateAsync();
        return new OperatorBootstrap(key, state.State.DemoTenantId);
    }

    public Task<bool> VerifyKeyAsync(string key) => Task.FromResult(
        state.State.KeyHash.Length > 0 && SecretHasher.Verify(key, state.State.KeySalt, state.State.KeyHash));

    public async Task<TenantIdPage> ListTenantsAsync(long after, int count)
    {
        var (ids, next) = await store.ListTenantsAsync(after, count);
        return new TenantIdPage(ids, next);
    }

    public async Task SetDemoTenantAsync(string tenantId)
    {
        state.State.DemoTenantId = tenantId;
        await state.WriteStateAsync();
    }
}
