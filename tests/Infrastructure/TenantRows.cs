using System.Text.Json.Nodes;
using IdentityDirectory.Store;
using Microsoft.Extensions.DependencyInjection;

using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// What a tenant still holds, asked of the running product's directory store (the store contract
/// suite proves that the rows behind these answers, usage counts included, go with them), and the
/// deletion reminder read from the product's Orleans tables.
/// </summary>
public static class TenantRows
{
    /// <summary>The users, groups, memberships and assignments of a directory.</summary>
    public static async Task<long[]> OfDirectoryAsync(IDirectoryStore store, DirectoryPartition partition)
    {
        var users = await WalkAsync(after => store.QueryUsersAsync(partition, ResourceQuery.All, Cursor(after)));
        var groups = await WalkAsync(after => store.QueryGroupsAsync(partition, ResourceQuery.All, Cursor(after)));
        long memberships = 0;
        foreach (var group in groups)
        {
            var members = await store.QueryUsersAsync(partition, UsersWhere($"groups eq \"{IdOf(group)}\""), new PageRequest(1, 1, false, 0));
            memberships += members.Total ?? 0;
        }
        var assignments = await store.ListAssignmentsAsync(partition, null, null, 0, int.MaxValue);
        return [users.Count, groups.Count, memberships, assignments.Count];
    }

    /// <summary>Everything of the tenant's first directory, its events and its audit records.</summary>
    public static async Task<long> CountAsync(GatewayFixture product, string tenantId)
    {
        var store = product.Services.GetRequiredService<IDirectoryStore>();
        var directory = await OfDirectoryAsync(store, DirectoryPartition.First(tenantId));
        var events = await store.ListEventsAsync(tenantId, 0, int.MaxValue);
        var audit = await store.ListAuditAsync(tenantId, 0, int.MaxValue);
        return directory.Sum() + events.Count + audit.Count;
    }

    /// <summary>The tenant's deletion reminders still registered (0 or 1).</summary>
    public static long DeletionReminders(GatewayFixture product, string tenantId)
    {
        using var db = product.OpenDatabaseReadOnly();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'purge-deleted' AND grain_id LIKE '%' || $tenant";
        command.Parameters.AddWithValue("$tenant", tenantId);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static PageRequest Cursor(long after) => new(100, 1, CursorMode: true, After: after);

    private static async Task<List<byte[]>> WalkAsync(Func<long, Task<ResourcePage>> page)
    {
        var resources = new List<byte[]>();
        long? cursor = 0;
        while (cursor is { } after)
        {
            var next = await page(after);
            resources.AddRange(next.Resources.Select(item => item.Json));
            cursor = next.NextCursor;
        }
        return resources;
    }

    private static string IdOf(byte[] resource) => JsonNode.Parse(resource)!["id"]!.GetValue<string>();
}
