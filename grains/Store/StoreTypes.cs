using IdentityDirectory.Users;

namespace IdentityDirectory.Store;

/// <summary>
/// A resource as stored: its rendered JSON (UTF-8) and what the grain needs to keep writing it;
/// <see cref="SignedIn"/> says whether a user ever signed in (so it may have sessions).
/// </summary>
public sealed record StoredResource(string Id, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json, bool SignedIn = false);

/// <summary>A user to write; <see cref="KeysChanged"/> false lets an update leave the unique indexes untouched.</summary>
public sealed record UserRow(string Id, UserKeys Keys, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json, bool KeysChanged = true);

public sealed record GroupRow(string Id, string DisplayNameLower, string? ExternalId, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json,
    bool KeysChanged = true);

public sealed record MembershipChange(IReadOnlyCollection<string> Add, IReadOnlyCollection<string> Remove)
{
    public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
}

public enum UserQueryKind { All, Id, UserName, ExternalId, MemberOfGroup, IdAndManager }

/// <summary>One supported user filter (R-FLT-6, R-FLT-7), already validated.</summary>
public sealed record UserQuery(UserQueryKind Kind, string? Value = null, string? Second = null);

public enum GroupQueryKind { All, Id, DisplayName, ExternalId, HasMember, IdAndMember }

public sealed record GroupQuery(GroupQueryKind Kind, string? Value = null, string? Second = null);

/// <summary>Either an index page (1-based <see cref="StartIndex"/>) or a cursor page after <see cref="After"/>.</summary>
public sealed record PageRequest(int Count, int StartIndex, bool CursorMode, long After);

/// <summary>Rendered resources (UTF-8 JSON) of one page; <see cref="Total"/> only in index mode, <see cref="NextCursor"/> only in cursor mode.</summary>
public sealed record ResourcePage(IReadOnlyList<byte[]> Resources, int? Total, long? NextCursor);

/// <summary>A write the store refuses by a rule of the directory (a taken value, a quota, a stale version, an unknown member), not by a failure.</summary>
public abstract class StoreRefusalException(string message) : Exception(message);

public sealed class UniqueConstraintException(string attribute) : StoreRefusalException($"The value of '{attribute}' is already taken.")
{
    public string Attribute { get; } = attribute;
}

public sealed class UnknownMemberException(string userId) : StoreRefusalException($"'{userId}' is not a user of this directory.")
{
    public string UserId { get; } = userId;
}

public sealed class QuotaExceededException(string resource) : StoreRefusalException($"ServiceQuotaExceededException: the directory holds its quota of {resource}.");

/// <summary>The tenant was deleted after the request was admitted (O-2).</summary>
public sealed class TenantDeletedException() : StoreRefusalException("The directory was deleted.");

public sealed class StaleWriteException() : StoreRefusalException("The resource was changed by another writer.");

/// <summary>A health event of a tenant (T-8), e.g. a token expiry notification; <see cref="Seq"/> orders them.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.DirectoryEvent")]
public sealed record DirectoryEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Type,
    [property: Id(2)] string Subject,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Detail);

/// <summary>One audit record (O-5): who (operator or token id), what, on which resource, when, under which request.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Action,
    [property: Id(3)] string Target,
    [property: Id(4)] string? RequestId,
    [property: Id(5)] long Seq = 0);

/// <summary>A principal (user or group) granted a permission set on a target (an account or application).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.Assignment")]
public sealed record Assignment(
    [property: Id(0)] string Id,
    [property: Id(1)] string PrincipalType,
    [property: Id(2)] string PrincipalId,
    [property: Id(3)] string Target,
    [property: Id(4)] string PermissionSet,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] long Seq = 0);

/// <summary>What a user may reach: a target with a permission set (S-5).</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.AccessGrant")]
public sealed record AccessGrant(
    [property: Id(0)] string Target,
    [property: Id(1)] string PermissionSet);

public sealed class UnknownPrincipalException(string principalId) : StoreRefusalException($"'{principalId}' is not a user or group of this directory.");
