using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

/// <summary>
/// Classes of bad SCIM input that once got a 500 or a wrong answer, each a plain request → answer, and each
/// leaving the resources as they were (DESIGN.md §4: every input answered, never a partial write).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class EveryInputAnsweredTests(GatewayFixture fixture)
{
    [Fact]
    public async Task ADuplicateKeyAtAnyDepthIsInvalidSyntax()
    {
        // Rule R-GEN-3, R-ERR-3, R-META-5 (names are case-insensitive, so userName and USERNAME are one key twice).
        var (client, userId, groupId) = await ResourcesAsync();
        var user = """{"userName":"dup@x.com","displayName":"D","name":{"givenName":"D","familyName":"Z","familyName":"Y"}}""";
        foreach (var (method, path, body) in new[]
                 {
                     ("POST", "Users", user),
                     ("PUT", $"Users/{userId}", user),
                     ("POST", "Users", """{"userName":"dup@x.com","USERNAME":"other@x.com","displayName":"D","name":{"givenName":"D","familyName":"Z"}}"""),
                     ("POST", "Users", """{"userName":"dup@x.com","displayName":"D","name":{"givenName":"D","familyName":"Z"},"emails":[{"value":"a@x.com","Value":"b@x.com"}]}"""),
                     ("PATCH", $"Users/{userId}", PatchBody("""{"op":"replace","path":"displayName","path":"nickName","value":"x"}""")),
                     ("PATCH", $"Users/{userId}", PatchBody("""{"op":"replace","value":{"name":{"givenName":"A","givenname":"B"}}}""")),
                     ("POST", "Groups", """{"displayName":"Dup","members":[{"value":"a","value":"b"}]}"""),
                     ("PATCH", $"Groups/{groupId}", PatchBody("""{"op":"add","path":"members","value":[{"value":"a","VALUE":"b"}]}""")),
                 })
        {
            var error = await (await client.SendJsonAsync(new HttpMethod(method), path, body)).ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
            Assert.Contains("appears twice", error["detail"]!.GetValue<string>());
        }
        await ExpectUnchangedAsync(client, userId, groupId);
    }

    [Fact]
    public async Task ALoneOrReversedSurrogateEscapeIsInvalidSyntaxAndAValidPairIsKept()
    {
        // Rule R-GEN-3, R-ERR-3: an escape that is not a Unicode character is not text.
        var (client, userId, groupId) = await ResourcesAsync();
        foreach (var escape in new[] { @"\ud800", @"\udc00", @"\udc00\ud800", @"\ud800\u0041" })
        {
            var user = UniqueUser();
            user["nickName"] = "PLACEHOLDER";
            var body = user.ToJsonString().Replace("PLACEHOLDER", "a" + escape);
            await (await client.SendJsonAsync(HttpMethod.Post, "Users", body)).ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
            await (await client.SendJsonAsync(HttpMethod.Patch, $"Users/{userId}", PatchBody($$"""{"op":"replace","path":"displayName","value":"x{{escape}}"}""")))
                .ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
            await (await client.SendJsonAsync(HttpMethod.Patch, $"Groups/{groupId}", PatchBody($$"""{"op":"replace","path":"displayName{{escape}}","value":"x"}""")))
                .ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        }
        await ExpectUnchangedAsync(client, userId, groupId);

        var valid = UniqueUser();
        valid["nickName"] = "PLACEHOLDER";
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "Users", valid.ToJsonString().Replace("PLACEHOLDER", @"a\ud83d\ude00")))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("a😀", created["nickName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIs413BeforeAnyOtherAnswer()
    {
        // DESIGN §4 (over 1 MiB → 413), R-CRUD-5: the size is answered before the shape, so PUT on a group (400 in the aws
        // profile) and a bad token (401) are 413 too, with a Content-Length and chunked.
        var (client, _, groupId) = await ResourcesAsync();
        var huge = Encoding.UTF8.GetBytes($$"""{"displayName":"{{new string('g', 2 * 1024 * 1024)}}"}""");
        using var badToken = ScimClient(client.BaseAddress!.ToString(), "nope.nope");
        foreach (var (sender, chunked) in new[] { (client, false), (client, true), (badToken, false) })
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"Groups/{groupId}")
            {
                Content = chunked ? new StreamContent(new MemoryStream(huge)) : new ByteArrayContent(huge),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");
            await (await sender.SendAsync(request)).ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        }
        await (await client.SendJsonAsync(HttpMethod.Put, $"Groups/{groupId}", "{}")).ErrAsync(HttpStatusCode.BadRequest); // R-CRUD-5 below the limit
    }

    [Fact]
    public async Task APresentSchemasMustNameTheResourceSchema()
    {
        // Rule R-ERR-3 (revised), R-CRUD-1, R-PAT-1: a schemas that is present is an array of strings naming the core
        // schema (PatchOp for PATCH); the aws profile tolerates one that is absent, null or [] (RFC 7643 §2.5).
        var (client, userId, groupId) = await ResourcesAsync();
        foreach (var schemas in new[] { "true", "{}", "[null]", "[1]", $"\"{UserSchema}\"", "[\"urn:nope\"]", $"[\"{GroupSchema}\"]", $"[\"{EnterpriseSchema}\"]" })
        {
            var post = UniqueUser();
            post["schemas"] = JsonNode.Parse(schemas);
            await (await client.SendJsonAsync(HttpMethod.Post, "Users", post.ToJsonString())).ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
            var put = User();
            put["schemas"] = JsonNode.Parse(schemas);
            await (await client.SendJsonAsync(HttpMethod.Put, $"Users/{userId}", put.ToJsonString())).ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        }
        await (await client.SendJsonAsync(HttpMethod.Post, "Groups", $$"""{"schemas":["{{UserSchema}}"],"displayName":"Wrong"}"""))
            .ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await (await client.SendJsonAsync(HttpMethod.Patch, $"Users/{userId}",
                $$"""{"schemas":["{{UserSchema}}"],"Operations":[{"op":"replace","path":"displayName","value":"x"}]}"""))
            .ErrAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await ExpectUnchangedAsync(client, userId, groupId);

        foreach (var tolerated in new JsonNode?[] { null, new JsonArray(), new JsonArray(UserSchema, EnterpriseSchema) })
        {
            var user = UniqueUser();
            user.Remove("schemas");
            if (tolerated is not null)
                user["schemas"] = tolerated;
            await (await client.PostJsonAsync("Users", user)).ExpectAsync(HttpStatusCode.Created);
        }
        // Rule R-GRP-1: Entra's extra group schema beside the core one is accepted.
        await (await client.SendJsonAsync(HttpMethod.Post, "Groups",
                $$"""{"schemas":["{{GroupSchema}}","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"displayName":"Entra"}"""))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task APatchPathIsTakenAsWritten()
    {
        // Rule R-PAT-1 (revised): surrounding whitespace, or anything else outside the path grammar, is 400 invalidPath;
        // the path is never trimmed or guessed, for users and groups alike.
        var (client, userId, groupId) = await ResourcesAsync();
        foreach (var path in new[] { " displayName", "displayName\t", "displayName ", "", "name. givenName", "emails [type eq \"work\"].value",
                     "emails[type eq \"work\"]].value", "name..givenName", "displayName.", "urn:nope:displayName" })
        {
            await (await client.PatchJsonAsync($"Users/{userId}", Op("replace", path, "Changed"))).ErrAsync(HttpStatusCode.BadRequest, "invalidPath");
            await (await client.PatchJsonAsync($"Groups/{groupId}", Op("replace", path, "Changed"))).ErrAsync(HttpStatusCode.BadRequest, "invalidPath");
        }
        await (await client.PatchJsonAsync($"Users/{userId}", new JsonObject { ["op"] = "replace", ["path"] = 5, ["value"] = "Changed" }))
            .ErrAsync(HttpStatusCode.BadRequest, "invalidPath");
        await ExpectUnchangedAsync(client, userId, groupId);
        // C-73: a well-formed path to what a group's PATCH may not change stays a 400 of its own.
        await (await client.PatchJsonAsync($"Groups/{groupId}", Op("replace", "description", "d"))).ErrAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await client.PatchJsonAsync($"Users/{userId}", Op("replace", "displayName", "Changed"))).ExpectAsync(HttpStatusCode.OK);
    }

    private static string PatchBody(string operation) => $$"""{"schemas":["{{PatchSchema}}"],"Operations":[{{operation}}]}""";

    private async Task<(HttpClient Client, string UserId, string GroupId)> ResourcesAsync()
    {
        var client = (await fixture.CreateTenantAsync()).Client;
        var userId = await client.CreateUserAsync(User());
        var groupId = await client.CreateGroupAsync();
        await (await client.PatchJsonAsync($"Groups/{groupId}", Op("add", "members", new JsonArray(new JsonObject { ["value"] = userId }))))
            .ExpectNoContentAsync();
        return (client, userId, groupId);
    }

    /// <summary>The user is still U0 and the group still has its one member and its name.</summary>
    private static async Task ExpectUnchangedAsync(HttpClient client, string userId, string groupId)
    {
        var user = await client.GetUserAsync(userId);
        Assert.Equal("Ruth R", user["displayName"]!.GetValue<string>());
        Assert.Null(user["nickName"]);
        Assert.Equal(1, await client.TotalAsync("Groups", ConformanceChecks.MembershipFilter(groupId, userId)));
        Assert.StartsWith("G-", (await client.GetGroupAsync(groupId))["displayName"]!.GetValue<string>());
        Assert.Equal(1, (await (await client.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
    }
}
