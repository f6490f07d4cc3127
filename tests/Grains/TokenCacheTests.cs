using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Gateway.Scim;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// Each gateway answers for tokens it has seen validated (<see cref="TokenCache"/>); these tests hold two
/// gateways that are plain Orleans clients of the shared cluster to the token rules.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TokenCacheTests(ClusterFixture fixture) : IAsyncLifetime
{
    private IGrainFactory Grains => fixture.Client;

    private IReadOnlyList<ClientGateway> _gateways = [];

    private IReadOnlyList<TokenCache> Gateways => _gateways.Select(gateway => gateway.Tokens).ToList();

    public async Task InitializeAsync() => _gateways = [await fixture.StartGatewayAsync(), await fixture.StartGatewayAsync()];

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
            await gateway.DisposeAsync();
    }

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
        Assert.Equal(2, Gateways.Count);
        foreach (var cache in Gateways)
        {
            Assert.Equal(tenantId, await grain.PresentTo(cache));
            Assert.Equal(tenantId, await grain.PresentTo(cache));
        }
        Assert.Equal(2, grain.Asked); // once per gateway: the second request of each was answered from its cache

        // Rule T-6: when the deletion returns, no gateway answers for the token any more; the clock has not moved.
        await Grains.GetGrain<IDirectoryGrain>(tenantId).DeleteTokenAsync(tokenId);
        foreach (var cache in Gateways)
            Assert.Null(await grain.PresentTo(cache));
        Assert.Equal(4, grain.Asked);
    }

    [Fact]
    public async Task AnswerOnItsWayDuringARevocationIsNotKept_T6()
    {
        var (tenantId, tokenId, tokenKey, secret, grain) = await NewTokenAsync();
        var cache = Gateways[0];

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
        var cache = Gateways[0];
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
        var cache = Gateways[1];

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
        var cache = Gateways[0];
        var token = grain.Token;
        Assert.Equal(tenantId, await grain.PresentTo(cache));
        var firstUse = fixture.Time.GetUtcNow();
        Assert.Equal(firstUse, (await token.DescribeAsync())!.LastUsedAt);

        // A gateway that missed a drop could only go wrong until its answer's lease runs out.
        fixture.Time.Advance(TokenCacheTimes.Lease - TimeSpan.FromSeconds(1));
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

    [Fact]
    public async Task TokenDeletionThatAGatewayCannotConfirmKeepsTheDirectoryConsistent_T6()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out var secret));
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.GetAsync();

        // A gateway subscribed for revocations, then vanished without a word: the deletion cannot be confirmed everywhere.
        var registry = Grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key);
        var vanished = fixture.Client.CreateObjectReference<IGatewayObserver>(new VanishedGateway());
        await registry.SubscribeAsync(vanished);
        fixture.Client.DeleteObjectReference<IGatewayObserver>(vanished);
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
            await registry.UnsubscribeAsync(vanished);
        }
        await directory.CreateTokenAsync();
        await directory.CreateTokenAsync(); // T-4: the deleted token no longer counts
    }

    private sealed class VanishedGateway : IGatewayObserver
    {
        public Task DropTokenAsync(string tokenKey) => Task.CompletedTask;

        public Task ForgetTenantAsync(string tenantId) => Task.CompletedTask;
    }
}
