using System.Text.Json.Nodes;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static IdentityDirectory.Tests.Grains.GrainScim;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class WireProfileTests(ClusterFixture fixture)
{
    // Rule O-3: only a profile's name and the tenant's options cross a silo boundary; the other side gets the very instance
    // that name and options select, not a copy of its schemas.
    [Fact]
    public void AProfileTravelsAsItsNameAndOptions()
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        var profile = WireProfile.For(WireProfile.RfcName, new TenantProfileOptions(PatchNoContent: true, BulkEnabled: true));

        var copy = serializer.Deserialize<WireProfile>(serializer.SerializeToArray(profile));

        Assert.NotNull(copy);
        Assert.Same(profile, copy);
        Assert.Same(WireProfile.Aws, serializer.Deserialize<WireProfile>(serializer.SerializeToArray(WireProfile.Aws)));
        Assert.False(copy.UserPatchAnswersResource);
        Assert.True(copy.Bulk!.Enabled);
    }

    // Rule O-3, R-META-3, R-PAT-3: the grain answers in the profile the request carries, with the tenant's options.
    [Fact]
    public async Task TheGrainAnswersInTheRequestsProfile()
    {
        var profile = WireProfile.For(WireProfile.RfcName, new TenantProfileOptions(PatchNoContent: true, BulkEnabled: false));
        var tenantId = NewTenantId();
        var id = NewId();
        var user = fixture.Client.User(tenantId, id);
        var body = new JsonObject { ["schemas"] = new JsonArray(UserSchema), ["userName"] = $"{id}@x.com" }.ToJsonString();

        var created = await user.CreateAsync(new ScimRequest(profile, body, BaseUrl: $"https://scim.example/{tenantId}/scim/v2"));
        var patched = await user.PatchAsync(new ScimRequest(profile, PatchBody(Op("replace", "nickName", "N"))));

        Assert.Equal("W/\"1\"", created.ETag);
        Assert.Equal($"https://scim.example/{tenantId}/scim/v2/Users/{id}", created.Location);
        Assert.Null(patched.Body);
        Assert.Equal("W/\"2\"", patched.ETag);
        await ExpectScimErrorAsync(() => user.CreateAsync(new ScimRequest(WireProfile.Aws, body)), 400, ScimTypes.InvalidValue); // P-2: the aws profile needs names
    }
}
