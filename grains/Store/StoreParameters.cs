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
