using System.Text;
using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using static IdentityDirectory.Tests.Grains.GrainScim;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class TokenGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task IssuedTokenValidates()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();

        Assert.EndsWith($"/{tenantId}/scim/v2", grant.ScimEndpoint); // Rule T-1
        Assert.True(await Grains.ValidateAsync(tenantId, grant.Token));
    }

    [Fact]
    public async Task WrongSecretFails_T10()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        Assert.True(ScimToken.TryParse(grant.Token, out var tokenId, out var secret));
        var token = Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));

        // Rule T-10: a wrong secret, another token's secret or a token of another tenant never validates.
        Assert.Null(await token.ValidateAsync(SecretHasher.NewSecret()));
        Assert.Null(await token.ValidateAsync(secret[..^1]));
        Assert.Null(await token.ValidateAsync(""));
        var (_, otherGrant) = await Grains.CreateProvisionedTenantAsync();
        Assert.False(await Grains.ValidateAsync(tenantId, otherGrant.Token));
        var (otherTenant, _) = await Grains.CreateProvisionedTenantAsync();
        Assert.False(await Grains.ValidateAsync(otherTenant, grant.Token));
        Assert.Equal(tenantId, TenantOf(await token.ValidateAsync(secret)));
    }

    [Fact]
    public async Task TokenIsValidForExactlyOneYear_T5()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();

        // Rule T-5: valid for one year (365 days) from creation, and not a second longer.
        fixture.Time.Advance(TimeSpan.FromDays(365));
        Assert.True(await Grains.ValidateAsync(tenantId, grant.Token));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await Grains.ValidateAsync(tenantId, grant.Token));
    }

    [Fact]
    public async Task StoredGrainStateNeverHoldsTheSecret_T2()
    {
        var (tenantId, grant) = await Grains.CreateProvisionedTenantAsync();
        var second = await Grains.GetGrain<IDirectoryGrain>(tenantId).CreateTokenAsync();
        fixture.Time.Advance(TimeSpan.FromHours(2));
        Assert.True(await Grains.ValidateAsync(tenantId, grant.Token)); // also writes last use
        Assert.True(await Grains.ValidateAsync(tenantId, second));

        var payloads = await ReadTenantGrainStateAsync(tenantId);
        Assert.True(payloads.Count >= 3, $"expected the directory and two token rows, found {payloads.Count}");

        // Rule T-2: only a salted hash is stored; no form of the secret is in any grain state of the tenant.
        foreach (var token in new[] { grant.Token, second })
        {
            Assert.True(ScimToken.TryParse(token, out _, out var secret));
            var forms = new[]
            {
                Encoding.UTF8.GetBytes(secret),
                Encoding.Unicode.GetBytes(secret),
                Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + new string('=', (4 - secret.Length % 4) % 4)),
            };
            foreach (var (key, payload) in payloads)
            {
                foreach (var form in forms)
                    Assert.True(payload.AsSpan().IndexOf(form) < 0, $"the secret of a token is in the stored state of {key}");
            }
        }
    }

    [Fact]
    public async Task ThirdTokenIsRefused_T4()
    {
        var (tenantId, _) = await Grains.CreateProvisionedTenantAsync();
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.CreateTokenAsync();

        // Rule T-4: at most two tokens; a third → 409.
        await ExpectScimErrorAsync(() => directory.CreateTokenAsync(), 409);
        Assert.Equal(2, (await directory.GetAsync())!.TokenIds.Count);

        // Rule T-4: expired tokens still count.
        fixture.Time.Advance(TimeSpan.FromDays(366));
        await ExpectScimErrorAsync(() => directory.CreateTokenAsync(), 409);
        Assert.Equal(2, (await directory.GetAsync())!.TokenIds.Count);
    }

    [Fact]
    public async Task ProvisioningCannotBeEnabledOnIdentityCenter_I9()
    {
        var tenantId = NewTenantId();
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        var created = await directory.CreateAsync(new TenantSpec("IdC tenant", IdentitySource.IdentityCenter));
        Assert.False(created.ProvisioningEnabled); // Rule I-9: a new tenant starts with provisioning off

        // Rule I-9: provisioning belongs to the ExternalIdp source → 409, and nothing changes.
        await ExpectScimErrorAsync(() => directory.EnableProvisioningAsync("http://127.0.0.1"), 409);
        var after = (await directory.GetAsync())!;
        Assert.False(after.ProvisioningEnabled);
        Assert.Empty(after.TokenIds);

        // Rule T-3: no token without provisioning.
        await ExpectScimErrorAsync(() => directory.CreateTokenAsync(), 409);
        Assert.Empty((await directory.GetAsync())!.TokenIds);
    }

    private async Task<List<(string Key, byte[] Payload)>> ReadTenantGrainStateAsync(string tenantId)
    {
        await using var connection = fixture.OpenDatabase();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_key, payload FROM orleans_grain_state WHERE (grain_key = @t OR grain_key LIKE @prefix) AND payload IS NOT NULL";
        command.Parameters.AddWithValue("@t", tenantId);
        command.Parameters.AddWithValue("@prefix", tenantId + "/%");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, byte[])>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), (byte[])reader[1]));
        return rows;
    }
}
