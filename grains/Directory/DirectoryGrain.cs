using System.Security.Cryptography;
using IdentityDirectory.Scim;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Directory;

public sealed class DirectoryGrain(
    [PersistentState("directory", DirectoryStorage.Name)] IPersistentState<DirectoryState> directory,
    TimeProvider time) : Grain, IDirectoryGrain
{
    public const int MaxTokens = 2;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<TenantInfo> CreateAsync(TenantSpec spec)
    {
        if (directory.State.Exists)
            throw new ScimException(409, ScimTypes.Uniqueness, "The tenant already exists.");
        directory.State = new DirectoryState
        {
            Exists = true,
            DisplayName = spec.DisplayName,
            IdentityStoreId = NewIdentityStoreId(),
            Source = spec.Source,
            ExternalIdpName = spec.ExternalIdpName,
            CreatedAt = time.GetUtcNow(),
        };
        await directory.WriteStateAsync();
        return Info();
    }

    public Task<TenantInfo?> GetAsync() => Task.FromResult(directory.State.Exists ? Info() : null);

    public async Task<ProvisioningGrant> EnableProvisioningAsync(string publicBaseUrl)
    {
        var state = Existing();
        if (state.Source != IdentitySource.ExternalIdp)
            throw new ScimException(409, null, "Automatic provisioning requires the ExternalIdp identity source.");
        if (state.ProvisioningEnabled)
            throw new ScimException(409, null, "Automatic provisioning is already enabled.");
        state.ProvisioningEnabled = true;
        await directory.WriteStateAsync();
        var token = await CreateTokenAsync();
        return new ProvisioningGrant($"{publicBaseUrl.TrimEnd('/')}/{TenantId}/scim/v2", token);
    }

    public async Task<string> CreateTokenAsync()
    {
        var state = Existing();
        if (!state.ProvisioningEnabled)
            throw new ScimException(409, null, "Enable automatic provisioning before generating tokens.");
        if (state.TokenIds.Count >= MaxTokens)
            throw new ScimException(409, null, $"A directory holds at most {MaxTokens} tokens; delete one first.");
        var tokenId = Guid.NewGuid().ToString("N");
        state.TokenIds.Add(tokenId);
        await directory.WriteStateAsync();
        return await GrainFactory.GetGrain<ITokenGrain>(ResourceKey.Of(TenantId, tokenId)).IssueAsync();
    }

    private DirectoryState Existing() =>
        directory.State.Exists ? directory.State : throw ScimException.NotFound($"Tenant {TenantId} not found.");

    private TenantInfo Info() => new(TenantId, directory.State.DisplayName, directory.State.IdentityStoreId, directory.State.Source,
        directory.State.ProvisioningEnabled, directory.State.TokenIds.ToList(), directory.State.CreatedAt);

    private static string NewIdentityStoreId() => "d-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
