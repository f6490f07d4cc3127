namespace IdentityDirectory.Store;

/// <summary>The parameters of a user or group row, named as both engines' statements name them.</summary>
internal static class StoreParameters
{
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
