namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>What a tenant still holds in the product's SQLite file, read beside the running product.</summary>
public static class TenantRows
{
    private static readonly string[] Tables =
        ["directory_users", "directory_groups", "directory_members", "directory_assignments", "directory_usage", "directory_events", "directory_audit_log"];

    /// <summary>The tenant's rows (its first directory) in every table a purge empties.</summary>
    public static long Count(GatewayFixture product, string tenantId) =>
        Scalar(product, "SELECT " + string.Join(" + ", Tables.Select(table => $"(SELECT count(*) FROM {table} WHERE tenant_id = $tenant)")), tenantId);

    /// <summary>The tenant's deletion reminders still registered (0 or 1).</summary>
    public static long DeletionReminders(GatewayFixture product, string tenantId) =>
        Scalar(product, "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'purge-deleted' AND grain_id LIKE '%' || $tenant", tenantId);

    private static long Scalar(GatewayFixture product, string sql, string tenantId)
    {
        using var db = product.OpenDatabaseReadOnly();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$tenant", tenantId);
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
