namespace IdentityDirectory.Store;

/// <summary>The parameters of a user or group row, named as both engines' statements name them, and how a statement bounds its rows.</summary>
internal static class StoreParameters
{
    /// <summary>
    /// A statement's bound row limit, <c>@limit</c>, as every statement of both engines writes it. SQLite (3.53)
    /// plans with the value of a parameter that is the whole LIMIT, so it compiled a kept statement again each
    /// time that parameter was bound, which is every run: two thirds of the store's time in a filter (bench/PROFILE.md,
    /// "The LIMIT that recompiled"). Written as an expression the planner does not read, the statement compiles once.
    /// </summary>
    public const string Limit = "LIMIT @limit + 0";

    /// <summary>
    /// An index-mode page's rows: <see cref="Limit"/>, and an OFFSET only past the first match. PostgreSQL plans a
    /// prepared statement again on every run while its generic plan looks dearer than one planned for the values, and
    /// an OFFSET it cannot see makes it look so: a user's groups was planned anew on every request (bench/PROFILE.md,
    /// "The plan made on every run").
    /// </summary>
    public static (string Sql, (string, object?)[] Parameters) Window(PageRequest page) => page.StartIndex == 1
        ? (Limit, [("@limit", page.Count)])
        : ($"{Limit} OFFSET @offset", [("@limit", page.Count), ("@offset", page.StartIndex - 1)]);

    public static (string, object?)[] Of(DirectoryPartition partition, UserRow user) =>
    [
        ("@t", partition.Key), ("@id", user.Id), ("@userName", user.Keys.UserNameLower), ("@externalId", user.Keys.ExternalId),
        ("@email", user.Keys.EmailLower), ("@manager", user.Keys.ManagerId), ("@version", user.Version),
        ("@created", user.Created.UtcTicks), ("@modified", user.LastModified.UtcTicks), ("@resource", user.Json),
        ("@search", user.Search),
    ];

    public static (string, object?)[] Of(DirectoryPartition partition, GroupRow group) =>
    [
        ("@t", partition.Key), ("@id", group.Id), ("@displayName", group.DisplayNameLower), ("@externalId", group.ExternalId),
        ("@version", group.Version), ("@created", group.Created.UtcTicks), ("@modified", group.LastModified.UtcTicks), ("@resource", group.Json),
        ("@search", group.Search),
    ];
}
