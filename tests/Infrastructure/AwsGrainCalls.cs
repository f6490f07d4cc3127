using IdentityDirectory.Groups;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>Grain calls as an aws-profile request without a client URL makes them, so grain tests read as body → resource.</summary>
public static class AwsGrainCalls
{
    private static ScimRequest Aws(string? body = null) => new(WireProfile.Aws, body);

    public static async Task<ScimJson> CreateAsync(this IUserGrain user, string body) => (await user.CreateAsync(Aws(body))).Body!;

    public static async Task<ScimJson> GetAsync(this IUserGrain user) => (await user.GetAsync(Aws())).Body!;

    public static async Task<ScimJson> ReplaceAsync(this IUserGrain user, string body) => (await user.ReplaceAsync(Aws(body))).Body!;

    public static async Task<ScimJson> PatchAsync(this IUserGrain user, string body) => (await user.PatchAsync(Aws(body))).Body!;

    public static async Task<ScimJson> CreateAsync(this IGroupGrain group, string body) => (await group.CreateAsync(Aws(body))).Body!;

    public static async Task<ScimJson> GetAsync(this IGroupGrain group) => (await group.GetAsync(Aws())).Body!;

    public static Task PatchAsync(this IGroupGrain group, string body) => group.PatchAsync(Aws(body));

    public static Task<ScimJson> ListUsersAsync(this IDirectoryQueryGrain queries, ListQuery query) => queries.ListUsersAsync(new ListRequest(WireProfile.Aws, query));

    public static Task<ScimJson> ListGroupsAsync(this IDirectoryQueryGrain queries, ListQuery query) => queries.ListGroupsAsync(new ListRequest(WireProfile.Aws, query));
}
