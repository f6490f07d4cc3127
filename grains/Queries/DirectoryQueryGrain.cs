using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Orleans.Concurrency;

namespace IdentityDirectory.Queries;

[StatelessWorker]
public sealed partial class DirectoryQueryGrain(IDirectoryStore store) : Grain, IDirectoryQueryGrain
{
    private const int MaxCount = 100;

    private DirectoryPartition Partition => DirectoryPartition.Parse(this.GetPrimaryKeyString());

    public Task<ScimJson> ListUsersAsync(ListQuery query) => QueryUsersAsync(query, UserAttribute);

    public Task<ScimJson> SearchUsersAsync(ListQuery query) => QueryUsersAsync(query, OperatorUserAttribute);

    private async Task<ScimJson> QueryUsersAsync(ListQuery query, Func<string, string> attributeOf)
    {
        var page = Page(query);
        var filter = UserFilter(query.Filter, attributeOf);
        return Render(await store.QueryUsersAsync(Partition, filter, page), page);
    }

    public async Task<ScimJson> ListGroupsAsync(ListQuery query)
    {
        var page = Page(query);
        var filter = GroupFilter(query.Filter);
        if (filter.Kind is GroupQueryKind.HasMember or GroupQueryKind.IdAndMember)
        {
            var member = filter.Kind == GroupQueryKind.HasMember ? filter.Value! : filter.Second!;
            if (!await store.UserExistsAsync(Partition, member))
                throw ScimException.NotFound($"User {member} not found."); // R-FLT-7 [AWS]
        }
        return Render(await store.QueryGroupsAsync(Partition, filter, page), page);
    }

    /// <summary>R-LST-3: count 1–100 (default 100); startIndex 1-based, honoured; a cursor switches to keyset paging.</summary>
    private static PageRequest Page(ListQuery query)
    {
        var count = MaxCount;
        if (query.Count is not null && (!int.TryParse(query.Count, out count) || count is < 1 or > MaxCount))
            throw ScimException.InvalidValue($"count must be an integer from 1 to {MaxCount}.");
        var startIndex = 1;
        if (query.StartIndex is not null && !int.TryParse(query.StartIndex, out startIndex))
            throw ScimException.InvalidValue("startIndex must be an integer.");
        if (query.Cursor is null)
            return new PageRequest(count, Math.Max(1, startIndex), CursorMode: false, After: 0);
        return new PageRequest(count, 1, CursorMode: true, After: DecodeCursor(query.Cursor));
    }

    private static UserQuery UserFilter(string? filter, Func<string, string> attributeOf)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return new UserQuery(UserQueryKind.All);
        var terms = Terms(filter, attributeOf);
        return terms.Keys.Order().ToArray() switch
        {
            ["userName"] => new UserQuery(UserQueryKind.UserName, terms["userName"]),
            ["displayName"] => new UserQuery(UserQueryKind.DisplayName, terms["displayName"]),
            ["externalId"] => new UserQuery(UserQueryKind.ExternalId, terms["externalId"]),
            ["id"] => new UserQuery(UserQueryKind.Id, terms["id"]),
            ["groups"] => new UserQuery(UserQueryKind.MemberOfGroup, terms["groups"]),
            ["id", "manager"] => new UserQuery(UserQueryKind.IdAndManager, terms["id"], terms["manager"]),
            _ => throw Unsupported(filter),
        };
    }

    private static GroupQuery GroupFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return new GroupQuery(GroupQueryKind.All);
        var terms = Terms(filter, GroupAttribute);
        return terms.Keys.Order().ToArray() switch
        {
            ["displayName"] => new GroupQuery(GroupQueryKind.DisplayName, terms["displayName"]),
            ["externalId"] => new GroupQuery(GroupQueryKind.ExternalId, terms["externalId"]),
            ["id"] => new GroupQuery(GroupQueryKind.Id, terms["id"]),
            ["members"] => new GroupQuery(GroupQueryKind.HasMember, terms["members"]),
            ["id", "members"] => new GroupQuery(GroupQueryKind.IdAndMember, terms["id"], terms["members"]),
            _ => throw Unsupported(filter),
        };
    }

    private static Dictionary<string, string> Terms(string filter, Func<string, string> attributeOf)
    {
        var terms = new Dictionary<string, string>();
        foreach (var term in FilterParser.ParseConjunction(filter))
        {
            if (!terms.TryAdd(attributeOf(term.AttributePath), term.Value!))
                throw Unsupported(filter);
        }
        return terms;
    }

    private static string UserAttribute(string path) => Canonical(path, ScimSchemas.User.Id) switch
    {
        "username" => "userName",
        "externalid" => "externalId",
        "id" => "id",
        "groups" or "groups.value" => "groups",
        "manager" or "manager.value" => "manager",
        _ when IsEnterpriseManager(path) => "manager",
        _ => throw ScimException.InvalidFilter($"Filtering users on '{path}' is not supported."),
    };

    /// <summary>The operator may also find users by display name; SCIM clients of the aws profile may not (R-FLT-6).</summary>
    private static string OperatorUserAttribute(string path) =>
        Canonical(path, ScimSchemas.User.Id) == "displayname" ? "displayName" : UserAttribute(path);

    private static string GroupAttribute(string path) => Canonical(path, ScimSchemas.Group.Id) switch
    {
        "displayname" => "displayName",
        "externalid" => "externalId",
        "id" => "id",
        "members" or "members.value" => "members",
        _ => throw ScimException.InvalidFilter($"Filtering groups on '{path}' is not supported."),
    };

    private static string Canonical(string path, string schema) =>
        (path.StartsWith(schema + ":", StringComparison.OrdinalIgnoreCase) ? path[(schema.Length + 1)..] : path).ToLowerInvariant();

    private static bool IsEnterpriseManager(string path) =>
        path.Equals($"{ScimSchemas.EnterpriseUser.Id}:manager", StringComparison.OrdinalIgnoreCase)
        || path.Equals($"{ScimSchemas.EnterpriseUser.Id}:manager.value", StringComparison.OrdinalIgnoreCase);

    private static ScimException Unsupported(string filter) =>
        ScimException.InvalidFilter($"The filter '{filter}' is not supported.");

    private static ScimJson Render(ResourcePage page, PageRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + page.Resources.Sum(r => r.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimSchemaUris.ListResponse);
            writer.WriteEndArray();
            if (!request.CursorMode)
            {
                writer.WriteNumber("totalResults", page.Total ?? 0);
                writer.WriteNumber("itemsPerPage", page.Resources.Count);
                writer.WriteNumber("startIndex", request.StartIndex);
            }
            else
            {
                writer.WriteNumber("itemsPerPage", page.Resources.Count);
                if (page.NextCursor is { } next)
                    writer.WriteString("nextCursor", EncodeCursor(next));
            }
            writer.WriteStartArray("Resources");
            foreach (var resource in page.Resources)
                writer.WriteRawValue(resource, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }

    private static string EncodeCursor(long after)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, after);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>R-LST-3: pattern [-a-zA-Z0-9+=/:_]*; anything we did not issue is 400.</summary>
    private static long DecodeCursor(string cursor)
    {
        if (cursor.Length == 0)
            return 0;
        Span<byte> bytes = stackalloc byte[12];
        if (!CursorPattern().IsMatch(cursor) || !Convert.TryFromBase64String(cursor, bytes, out var written) || written != 8)
            throw ScimException.InvalidValue("The cursor is not valid.");
        var after = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return after >= 0 ? after : throw ScimException.InvalidValue("The cursor is not valid.");
    }

    [GeneratedRegex("^[-a-zA-Z0-9+=/:_]*$")]
    private static partial Regex CursorPattern();
}
