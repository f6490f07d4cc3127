using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// DESIGN §2 (cluster mode): any silo can die and nothing acknowledged is lost; state comes back from storage.
/// Calls go through a running silo, as a co-hosted gateway's do (<see cref="ClusterFixture.SiloGrains"/>): the external
/// test client may still pick a stopped silo's gateway once, which is Orleans client behaviour, not the product's.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.SiloGrains;

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
