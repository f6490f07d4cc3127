namespace IdentityDirectory.Store;

/// <summary>
/// The attribute a unique index guards (R-USR-8, R-GRP-2, P-1), from what the engine names in a
/// violation: SQLite the index's columns, PostgreSQL the index's name; both contain the column.
/// </summary>
internal static class StoreUniqueness
{
    private const string Assignment = "assignment";

    /// <summary>The attribute of a violated index of users, groups or assignments; null for any other table's.</summary>
    public static string? AttributeOf(string? violation) => violation switch
    {
        null => null,
        _ when violation.Contains("directory_users") => UserAttribute(violation),
        _ when violation.Contains("directory_groups") => GroupAttribute(violation),
        _ when violation.Contains("directory_assignments") => Assignment,
        _ => null,
    };

    private static string UserAttribute(string violation) =>
        violation.Contains("user_name_lc") ? "userName" : violation.Contains("external_id") ? "externalId" : violation.Contains("email_lc") ? "emails" : "id";

    private static string GroupAttribute(string violation) =>
        violation.Contains("display_name_lc") ? "displayName" : violation.Contains("external_id") ? "externalId" : "id";
}
