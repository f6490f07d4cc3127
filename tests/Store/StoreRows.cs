using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Filters;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Users;

namespace IdentityDirectory.Tests.Store;

/// <summary>Rows and audit entries as the grains hand them to the store, for store tests.</summary>
public static class StoreRows
{
    public static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The first directory of a tenant no other test uses.</summary>
    public static DirectoryPartition NewPartition() => DirectoryPartition.First(Guid.NewGuid().ToString());

    /// <summary>A first version of a user row: userName and email alike, externalId <c>ext-{id}</c>, displayName the userName unless given.</summary>
    public static UserRow NewUser(string id, string userName, string? managerId = null, string? displayName = null) =>
        new(id, new UserKeys(userName, $"ext-{id}", userName, managerId), 1, At, At, Json(id, displayName ?? userName),
            SearchDocument.Of(new JsonObject { ["displayName"] = displayName ?? userName, ["active"] = true }, FilterScope.Users));

    public static GroupRow NewGroup(string id, string displayName) =>
        new(id, displayName.ToLowerInvariant(), $"ext-{id}", 1, At, At, Json(id, displayName), SearchDocument.Of(new JsonObject(), FilterScope.Groups));

    /// <summary>The users a filter of the full language selects, e.g. <c>UsersWhere($"userName eq \"{name}\"")</c>.</summary>
    public static ResourceQuery UsersWhere(string filter) => new(FilterSyntax.Parse(filter, FilterScope.Users));

    public static ResourceQuery GroupsWhere(string filter) => new(FilterSyntax.Parse(filter, FilterScope.Groups));

    /// <summary>A resource as the grains render it, reduced to its id and its display name.</summary>
    public static byte[] Json(string id, string displayName) => Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","displayName":"{{displayName}}"}""");

    public static AuditEntry Audit(string action, string target) => new(At, "test", action, target, $"req-{target}");

    public static AuditEntry CreateUserAudit(string id) => Audit("CreateUser", $"User/{id}");

    /// <summary>Page requests: an index page from <paramref name="startIndex"/>, or a cursor page after <paramref name="after"/>.</summary>
    public static PageRequest Index(int count = 100, int startIndex = 1) => new(count, startIndex, CursorMode: false, After: 0);

    public static PageRequest Cursor(int count, long after = 0) => new(count, 1, CursorMode: true, After: after);

    /// <summary>The outcome of a write: null when it succeeded, else what it threw.</summary>
    public static async Task<Exception?> OutcomeOf(Task write)
    {
        try
        {
            await write;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
