using System.Net;
using System.Net.Http.Headers;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

public sealed class RestartTests
{
    // Rule O-6 and DESIGN §2 (durability): a restart of the embedded product keeps users, groups,
    // memberships and tokens, because all of it is in the SQLite file.
    [Fact]
    public async Task UsersGroupsMembershipsAndTokensSurviveARestart()
    {
        var directory = TestDirectories.New();
        try
        {
            ScimTenant tenant;
            string userId, groupId;
            await using (var first = new ProductOnDirectory(directory, ownsDirectory: false))
            {
                await first.InitializeAsync();
                tenant = await first.CreateTenantAsync();
                userId = await tenant.Client.CreateUserAsync(User());
                groupId = await tenant.Client.CreateGroupAsync("Restart group");
                await (await tenant.Client.PatchJsonAsync($"Groups/{groupId}",
                    Op("add", "members", new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["value"] = userId }))))
                    .ExpectAsync(HttpStatusCode.NoContent);
            }

            await using var second = new ProductOnDirectory(directory, ownsDirectory: true);
            await second.InitializeAsync();
            using var client = new HttpClient { BaseAddress = new Uri(second.BaseAddress, $"{tenant.TenantId}/scim/v2/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);

            var user = await (await client.GetAsync($"Users/{userId}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("ruth@x.com", user["userName"]!.GetValue<string>());
            var byName = await (await client.GetAsync("Users?filter=userName%20eq%20%22ruth@x.com%22")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(1, byName["totalResults"]!.GetValue<int>());
            var membership = await (await client.GetAsync($"Groups?filter=id%20eq%20%22{groupId}%22%20and%20members%20eq%20%22{userId}%22"))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(1, membership["totalResults"]!.GetValue<int>());
        }
        finally
        {
            if (System.IO.Directory.Exists(directory))
                System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
