using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// Each silo's gateway answers for tokens it has seen validated (<see cref="TokenCache"/>); these
/// tests hold it to the token rules on both silos of the shared cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TokenCacheTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private IReadOnlyList<TokenCache> SiloCaches =>
        fixture.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<TokenCache>()).ToList();

    /// <summary>A token's grain, counting how often a cache had to ask it.</summary>
    private sealed class AskedGrain(ITokenGrain grain, string secret)
    {
        public ITokenGrain Token => grain;

        public int Asked { get; private set; }

        /// <summary>What <paramref name="cache"/> answers for this token and its secret, asking this grain when it must.</summary>
        public ValueTask<string?> PresentTo(TokenCache cache) => cache.ValidateAsync(grain.GetPrimaryKeyString(), secret, AskAsync);

        public Task<TokenGrant?> AskAsync(string tokenKey, string presented)
        {
            Assert.Equal(grain.GetPrimaryKeyString(), tokenKey);
            Assert.Equal(secret, presented);
            Asked++;
            return grain.ValidateAsync(secret);
        }
    }

    /// <summary>A new tenant's first token, and its grain as the caches will ask it.</summary>
    private async Task<(string TenantId, string TokenId, string TokenKey, string Secret, AskedGrain Grain)> NewTokenAsync()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out var secret));
        var tokenKey = ResourceKey.Of(tenantId, tokenId);
        return (tenantId, tokenId, tokenKey, secret, new AskedGrain(Grains.GetGrain<ITokenGrain>(tokenKey), secret));
    }

    [Fact]
    public async Task RevokedTokenIsRefusedAtOnceOnEverySilo_T6()
    {
        var (tenantId, tokenId, _, _, grain) = await NewTokenAsync();
        Assert.Equal(2, SiloCaches.Count);
        foreach (var cache in SiloCaches)
        {
            Assert.Equal(tenantId, await grain.PresentTo(cache));
            Assert.Equal(tenantId, await grain.PresentTo(cache));
        }
        Assert.Equal(2, grain.Asked); // once per silo: the second request of each was answered from its cache

        // Rule T-6: when the deletion returns, no silo answers for the token any more; the clock has not moved.
        await Grains.GetGrain<IDirectoryGrain>(tenantId).DeleteTokenAsync(tokenId);
        foreach (var cache in SiloCaches)
            Assert.Null(await grain.PresentTo(cache));
        Assert.Equal(4, grain.Asked);
    }

    [Fact]
    public async Task AnswerOnItsWayDuringARevocationIsNotKept_T6()
    {
        var (tenantId, tokenId, tokenKey, secret, grain) = await NewTokenAsync();
        var cache = SiloCaches[0];

        // The grain grants, then the token is revoked before the grant reaches the cache.
        var answered = await cache.ValidateAsync(tokenKey, secret, async (_, _) =>
        {
            var grant = await grain.Token.ValidateAsync(secret);
            await Grains.GetGrain<IDirectoryGrain>(tenantId).DeleteTokenAsync(tokenId);
            return grant;
        });
        Assert.Equal(tenantId, answered); // validated before the revocation: this one request passes

        // Rule T-6: the next one is refused; the late grant was not cached.
        Assert.Null(await grain.PresentTo(cache));
        Assert.Equal(1, grain.Asked);
    }

    [Fact]
    public async Task CachedTokenNeverOpensWithAnotherSecret_T10()
    {
        var (tenantId, _, tokenKey, secret, grain) = await NewTokenAsync();
        var cache = SiloCaches[0];
        Assert.Equal(tenantId, await grain.PresentTo(cache));

        // Rule T-10: a cached token id with a wrong secret goes to the grain, which refuses it.
        var wrong = SecretHasher.NewSecret();
        var wrongGrain = new AskedGrain(grain.Token, wrong);
        Assert.Null(await wrongGrain.PresentTo(cache));
        Assert.Null(await cache.ValidateAsync(tokenKey, secret[..^1], (_, presented) => grain.Token.ValidateAsync(presented)));
        Assert.Equal(1, wrongGrain.Asked);
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(1, grain.Asked);
    }

    [Fact]
    public async Task CachedTokenExpiresWithTheToken_T5()
    {
        var (tenantId, _, _, _, grain) = await NewTokenAsync();
        var cache = SiloCaches[1];

        // Rule T-5: answered from the cache up to its last minute, by the grain at its last instant, then refused.
        fixture.Time.Advance(TokenGrain.Lifetime - TimeSpan.FromMinutes(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(1, grain.Asked);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(2, grain.Asked);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await grain.PresentTo(cache));
        Assert.Null(await grain.PresentTo(cache));
        Assert.Equal(4, grain.Asked);
    }

    [Fact]
    public async Task CachedAnswerIsALeaseAndLastUseIsStillRecorded_T6()
    {
        var (tenantId, _, _, _, grain) = await NewTokenAsync();
        var cache = SiloCaches[0];
        var token = grain.Token;
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        var firstUse = fixture.Time.GetUtcNow();
        Assert.Equal(firstUse, (await token.DescribeAsync())!.LastUsedAt);

        // A silo that missed a drop could only go wrong until its answer's lease runs out.
        fixture.Time.Advance(TokenCache.Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(1, grain.Asked);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(2, grain.Asked);
        Assert.Equal(firstUse, (await token.DescribeAsync())!.LastUsedAt); // recorded at hour precision

        // Rule T-6: the token list shows last use, so the hour after the first use goes to the grain, which records it.
        fixture.Time.Advance(TimeSpan.FromMinutes(59) - TimeSpan.FromSeconds(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(firstUse, (await token.DescribeAsync())!.LastUsedAt);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        Assert.Equal(4, grain.Asked);
        Assert.Equal(fixture.Time.GetUtcNow(), (await token.DescribeAsync())!.LastUsedAt);
    }
}
