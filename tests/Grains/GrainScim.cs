using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Users;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Grains;

/// <summary>SCIM bodies and calls for grain tests, so they read as request → expected outcome.</summary>
public static class GrainScim
{
    public static string NewTenantId() => Guid.NewGuid().ToString();

    public static string NewId() => Guid.NewGuid().ToString();

    public static string PatchBody(params JsonNode[] operations) => new JsonObject
    {
        ["schemas"] = new JsonArray(PatchSchema),
        ["Operations"] = new JsonArray(operations.Select(o => o.DeepClone()).ToArray()),
    }.ToJsonString();

    public static string GroupBody(string? displayName = null) => new JsonObject
    {
        ["schemas"] = new JsonArray(GroupSchema),
        ["displayName"] = displayName ?? "G-" + Guid.NewGuid().ToString("N")[..10],
    }.ToJsonString();

    public static JsonArray Members(IEnumerable<string> userIds) =>
        new(userIds.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray());

    public static IUserGrain User(this IGrainFactory grains, string tenantId, string id) =>
        grains.GetGrain<IUserGrain>(ResourceKey.Of(tenantId, id));

    public static IGroupGrain Group(this IGrainFactory grains, string tenantId, string id) =>
        grains.GetGrain<IGroupGrain>(ResourceKey.Of(tenantId, id));

    /// <summary>Creates a user with unique values and returns its id.</summary>
    public static async Task<string> CreateUserAsync(this IGrainFactory grains, string tenantId, JsonObject? body = null)
    {
        var id = NewId();
        await grains.User(tenantId, id).CreateAsync((body ?? UniqueUser()).ToJsonString());
        return id;
    }

    public static async Task<string> CreateGroupAsync(this IGrainFactory grains, string tenantId)
    {
        var id = NewId();
        await grains.Group(tenantId, id).CreateAsync(GroupBody());
        return id;
    }

    /// <summary>The ids of the users listed by <c>groups.value eq "&lt;groupId&gt;"</c> (R-FLT-7) and the reported total.</summary>
    public static async Task<(int Total, string[] Ids)> MembersOfAsync(this IGrainFactory grains, string tenantId, string groupId)
    {
        var list = JsonNode.Parse((await grains.GetGrain<IDirectoryQueryGrain>(tenantId)
            .ListUsersAsync(new ListQuery($"groups.value eq \"{groupId}\"", null, "100", null))).Utf8)!;
        var ids = list["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToArray();
        return (list["totalResults"]!.GetValue<int>(), ids);
    }

    public static async Task<ScimException> ExpectScimErrorAsync(Func<Task> call, int status, string? scimType = null)
    {
        var error = await Assert.ThrowsAsync<ScimException>(call);
        Assert.Equal(status, error.Status);
        if (scimType is not null)
            Assert.Equal(scimType, error.ScimType);
        return error;
    }

    /// <summary>A fresh tenant on ExternalIdp with provisioning enabled (T-1): its id and the grant with the first token.</summary>
    public static async Task<(string TenantId, ProvisioningGrant Grant)> CreateProvisionedTenantAsync(this IGrainFactory grains)
    {
        var tenantId = NewTenantId();
        var directory = grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.CreateAsync(new TenantSpec("Test tenant", IdentitySource.ExternalIdp, "Test IdP"));
        return (tenantId, await directory.EnableProvisioningAsync("http://127.0.0.1:8080"));
    }

    /// <summary>The tenant of a partition a token opened; null when the token opened nothing.</summary>
    public static string? TenantOf(TokenGrant? grant) => grant is null ? null : DirectoryPartition.Parse(grant.Partition).TenantId;

    /// <summary>What the gateway does with a presented bearer token of a tenant (T-10): true when it opens the tenant's directory.</summary>
    public static async Task<bool> ValidateAsync(this IGrainFactory grains, string tenantId, string token) =>
        ScimToken.TryParse(token, out var tokenId, out var secret)
        && TenantOf(await grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId)).ValidateAsync(secret)) == tenantId;
}
