using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// DESIGN §2 (cluster mode): any silo can die and nothing acknowledged is lost; state comes back from storage.
/// After the stop, calls go through a surviving silo, as a co-hosted gateway's do; the external test client may
/// still pick the dead silo's gateway once, which is Orleans client behaviour, not the product's.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task TokenStillValidatesAfterItsSiloStops()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out var secret));
        var token = Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));
        Assert.Equal(tenantId, TenantOf(await token.ValidateAsync(secret)));
        var before = await token.DescribeAsync();

        var survivor = await StopHostOfAsync(token);
        token = survivor.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));

        Assert.Equal(tenantId, TenantOf(await token.ValidateAsync(secret)));
        Assert.Null(await token.ValidateAsync(SecretHasher.NewSecret()));
        Assert.Equal(before, await token.DescribeAsync());
    }

    [Fact]
    public async Task TenantStillReadsBackAfterItsSiloStops()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        var before = (await directory.GetAsync())!;

        var survivor = await StopHostOfAsync(directory);
        directory = survivor.GetGrain<IDirectoryGrain>(tenantId);

        var after = await directory.GetAsync();
        Assert.NotNull(after);
        Assert.Equal(before.IdentityStoreId, after.IdentityStoreId);
        Assert.Equal(IdentitySource.ExternalIdp, after.Source);
        Assert.True(after.ProvisioningEnabled);
        Assert.Equal(before.TokenIds, after.TokenIds);
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        // Rule T-4 still holds from the stored token list: one more token, then a third is refused.
        await directory.CreateTokenAsync();
        await GrainScim.ExpectScimErrorAsync(() => directory.CreateTokenAsync(), 409);
        Assert.True(await survivor.ValidateAsync(tenantId, grant.Token));
    }

    [Fact]
    public async Task TokenDeletionThatASiloCannotConfirmKeepsTheDirectoryConsistent_T6()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out var secret));
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.GetAsync();

        // A silo that cannot confirm drops joins (here: one without a token cache); the deletion cannot be confirmed everywhere.
        fixture.NextSilosLackTokenCache = true;
        var deaf = await fixture.Cluster.StartAdditionalSiloAsync();
        fixture.NextSilosLackTokenCache = false;
        try
        {
            var error = await GrainScim.ExpectScimErrorAsync(() => directory.DeleteTokenAsync(tokenId), 503);

            // Rule T-6: the token is refused already, gone from the directory's list and count, and the answer says so.
            Assert.Contains("deleted", error.Message);
            Assert.Null(await Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId)).ValidateAsync(secret));
            Assert.DoesNotContain(tokenId, (await directory.GetAsync())!.TokenIds);
            Assert.DoesNotContain(tokenId, (await directory.ListTokensAsync()).Tokens.Select(view => view.TokenId));
        }
        finally
        {
            await fixture.Cluster.StopSiloAsync(deaf);
        }
        await directory.CreateTokenAsync();
        await directory.CreateTokenAsync(); // T-4: the deleted token no longer counts
    }

    /// <summary>
    /// Stops the silo that hosts the grain's activation, starts a fresh one so the cluster keeps two silos, and
    /// returns the grain factory of the silo that survived.
    /// </summary>
    private async Task<IGrainFactory> StopHostOfAsync(IAddressable grain)
    {
        Assert.True(fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context), "the grain has no activation");
        var host = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(context!.Address.SiloAddress));
        var survivor = fixture.Cluster.Silos.First(s => s != host);
        await fixture.Cluster.StopSiloAsync(host);
        Assert.False(fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out _));
        await fixture.Cluster.StartAdditionalSiloAsync();
        return survivor.ServiceProvider.GetRequiredService<IGrainFactory>();
    }
}
