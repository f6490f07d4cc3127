using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Users;

namespace IdentityDirectory.Tests.Filters;

/// <summary>A user or group of the generated directory, as the reference evaluator sees it.</summary>
public sealed record FilterResource(string Id, JsonObject Attributes, DateTimeOffset Created, DateTimeOffset LastModified, List<string> Related);

/// <summary>
/// A small directory made from a seed: users and groups whose values share words in several cases,
/// accented, dotted and supplementary-plane letters, so that filters match several resources and the
/// case and order rules are put to work. Written to a store through the same row builders as the grains.
/// </summary>
public sealed class FilterDirectory
{
    public const string Enterprise = ScimSchemaUris.EnterpriseUser;

    public static readonly string[] Words =
        ["ruth", "Ruth", "RUTH", "ab", "aB", "abc", "b", "zé", "ZÉ", "İstanbul", "ıi", "\U00010400x", "\U00010428x", "\uE000q", "x\"y", "a b", "é", "Ω", "ω", "1", "10", "2"];

    public static readonly string[] Types = ["work", "home", "Work", "other"];

    public List<FilterResource> Users { get; } = [];

    public List<FilterResource> Groups { get; } = [];

    public FilterDirectory(int seed, int users, int groups)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string Word() => Words[random.Next(Words.Length)];
        DateTimeOffset Instant() => start.AddSeconds(random.Next(0, 86_400 * 20) / 3600 * 3600 + random.Next(0, 3));

        for (var i = 0; i < users; i++)
        {
            var id = $"{Guid.NewGuid():D}";
            var user = new JsonObject
            {
                ["userName"] = $"{Word()}.{i}@{Word()}",
                ["displayName"] = $"{Word()} {Word()}",
                ["active"] = random.Next(3) > 0,
            };
            if (random.Next(4) > 0)
                user["name"] = Pick(random, new JsonObject { ["givenName"] = Word(), ["familyName"] = Word() });
            if (random.Next(2) == 0)
                user["title"] = Word();
            if (random.Next(3) == 0)
                user["nickName"] = Word();
            if (random.Next(3) > 0)
                user["externalId"] = $"ext-{Word()}-{i}";
            var emails = new JsonArray();
            for (var e = random.Next(4); e > 0; e--)
            {
                var email = new JsonObject { ["value"] = emails.Count == 0 ? $"{Word()}.{i}@x.com" : $"{Word()}@{Word()}" };
                if (random.Next(4) > 0)
                    email["type"] = Types[random.Next(Types.Length)];
                if (random.Next(3) == 0)
                    email["primary"] = random.Next(2) == 0;
                emails.Add(email);
            }
            if (emails.Count > 0)
                user["emails"] = emails;
            if (random.Next(3) == 0)
                user["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = $"+1 555 {random.Next(100):D4}", ["type"] = Types[random.Next(Types.Length)] });
            if (random.Next(2) == 0)
            {
                var enterprise = Pick(random, new JsonObject { ["employeeNumber"] = $"{random.Next(20)}", ["department"] = Word() });
                if (Users.Count > 0 && random.Next(2) == 0)
                    enterprise["manager"] = new JsonObject { ["value"] = Users[random.Next(Users.Count)].Id };
                if (enterprise.Count > 0)
                    user[Enterprise] = enterprise;
            }
            var created = Instant();
            Users.Add(new FilterResource(id, user, created, created.AddSeconds(random.Next(0, 3) * 7200), []));
        }

        for (var j = 0; j < groups; j++)
        {
            var group = new JsonObject { ["displayName"] = $"{Word()} g{j}" };
            if (random.Next(2) == 0)
                group["externalId"] = $"gx-{Word()}-{j}";
            var members = Users.Where(_ => random.Next(6) == 0).Select(u => u.Id).ToList();
            var created = Instant();
            var resource = new FilterResource($"{Guid.NewGuid():D}", group, created, created, members);
            Groups.Add(resource);
            foreach (var member in members)
                Users.Single(u => u.Id == member).Related.Add(resource.Id);
        }
    }

    /// <summary>Keeps a random part of an object's keys, so sub-attributes are missing now and then.</summary>
    private static JsonObject Pick(Random random, JsonObject value)
    {
        foreach (var key in value.Select(p => p.Key).ToList())
        {
            if (random.Next(4) == 0)
                value.Remove(key);
        }
        return value;
    }

    public async Task WriteAsync(IDirectoryStore store, DirectoryPartition partition)
    {
        var audit = new AuditEntry(DateTimeOffset.UnixEpoch, "test", "Create", "test", null);
        foreach (var user in Users)
        {
            var json = ResourceJson.Render("User", user.Id, user.Attributes, user.Created, user.LastModified, ScimSchemaUris.User, ScimSchemaUris.EnterpriseUser);
            var row = new UserRow(user.Id, UserResource.KeysOf(user.Attributes), 1, user.Created, user.LastModified, json.Utf8,
                SearchDocument.Of(user.Attributes, FilterScope.Users));
            await store.InsertUserAsync(partition, row, 10_000, audit);
        }
        foreach (var group in Groups)
        {
            var json = ResourceJson.Render("Group", group.Id, group.Attributes, group.Created, group.LastModified, ScimSchemaUris.Group, null, emptyMembers: true);
            var row = new GroupRow(group.Id, group.Attributes["displayName"]!.GetValue<string>().ToLowerInvariant(), group.Attributes["externalId"]?.GetValue<string>(),
                1, group.Created, group.LastModified, json.Utf8, SearchDocument.Of(group.Attributes, FilterScope.Groups));
            await store.InsertGroupAsync(partition, row, group.Related, 10_000, audit);
        }
    }
}
