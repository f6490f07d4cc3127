using System.Security.Cryptography;
using IdentityDirectory.Store;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityDirectory.Operator;

public sealed class OperatorGrain(
    [PersistentState("operator", DirectoryStorage.Name)] IPersistentState<OperatorState> state,
    IDirectoryStore store,
    ILogger<OperatorGrain> logger) : Grain, IOperatorGrain
{
    public async Task<OperatorBootstrap> BootstrapAsync()
    {
        if (state.State.KeyHash.Length > 0)
            return new OperatorBootstrap(null, state.State.DemoTenantId);
        return new OperatorBootstrap(await NewKeyAsync(), state.State.DemoTenantId);
    }

    public async Task<string> RotateKeyAsync()
    {
        var key = await NewKeyAsync();
        // Not a tenant's action, so there is no tenant audit log to hold it; the log is the record.
        logger.LogWarning("The operator key was rotated (request {RequestId}); the previous key no longer opens the admin API.", AuditContext.RequestId);
        return key;
    }

    private async Task<string> NewKeyAsync()
    {
        var key = SecretHasher.NewSecret();
        var (salt, hash) = (state.State.KeySalt, state.State.KeyHash);
        (state.State.KeySalt, state.State.KeyHash) = SecretHasher.Hash(key);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nobody will see the new key, so the stored one must stay the one that opens the admin API.
            (state.State.KeySalt, state.State.KeyHash) = (salt, hash);
            throw;
        }
        return key;
    }

    public Task<bool> VerifyKeyAsync(string key) => Task.FromResult(
        state.State.KeyHash.Length > 0 && SecretHasher.Verify(key, state.State.KeySalt, state.State.KeyHash));

    public Task<string> GetKeyStampAsync() =>
        Task.FromResult(Convert.ToHexStringLower(SHA256.HashData([.. state.State.KeySalt, .. state.State.KeyHash]))[..32]);

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
