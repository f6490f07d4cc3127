using System.Text.Json.Nodes;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Users;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    [Fact]
    public void AReferenceNamesTheGrainAndInterfaceThatOrleansWouldName()
    {
        foreach (var key in new[] { "p-1/u-1", "p-1/u-2", "p-2/x" })
        {
            AssertSame(fixture.Client.GetGrain<IUserGrain>(key), fixture.Client.Reference<IUserGrain>(key));
            AssertSame(fixture.Client.GetGrain<ITokenGrain>(key), fixture.Client.Reference<ITokenGrain>(key));
            AssertSame(fixture.Client.GetGrain<IDirectoryQueryGrain>(key), fixture.Client.Reference<IDirectoryQueryGrain>(key));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ABlankKeyIsRefusedAsOrleansRefusesIt(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => fixture.Client.GetGrain<IUserGrain>(key));
        Assert.ThrowsAny<ArgumentException>(() => fixture.Client.Reference<IUserGrain>(key));
    }

    [Fact]
    public async Task AReferenceReachesItsGrain()
    {
        var tenantId = GrainScim.NewTenantId();
        var id = await fixture.Client.CreateUserAsync(tenantId);
        var key = fixture.Client.User(tenantId, id).GetPrimaryKeyString();

        var read = JsonNode.Parse((await fixture.Client.Reference<IUserGrain>(key).GetAsync(new ScimRequest(WireProfile.Aws))).Body!.Utf8)!;

        Assert.Equal(id, read["id"]!.GetValue<string>());
    }

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)actual).InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
