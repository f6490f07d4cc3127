namespace IdentityDirectory.Directory;

public enum ManualAction { CreateUser, ReplaceUser, DeleteUser, CreateGroup, DeleteGroup, AddMember, RemoveMember }

/// <summary>
/// A write of the operator's manual provisioning (O-4): a SCIM body for creates and replaces, the resource's
/// <see cref="Id"/> for the others, and the member's <see cref="UserId"/> for membership changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.ManualChange")]
public sealed record ManualChange(
    [property: Id(0)] ManualAction Action,
    [property: Id(1)] string? Id = null,
    [property: Id(2)] string? Body = null,
    [property: Id(3)] string? UserId = null);
