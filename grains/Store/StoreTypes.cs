using IdentityDirectory.Filters;
using IdentityDirectory.Users;

namespace IdentityDirectory.Store;

/// <summary>
/// A resource as stored: its rendered JSON (UTF-8) and what the grain needs to keep writing it;
/// <see cref="SignedIn"/> says whether a user ever signed in (so it may have sessions).
/// </summary>
public sealed record StoredResource(string Id, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json, bool SignedIn = false);

/// <summary>
/// A user to write: its rendered JSON, its <see cref="SearchDocument"/> and its keys; <see cref="KeysChanged"/>
/// false lets an update leave the unique indexes untouched.
/// </summary>
public sealed record UserRow(string Id, UserKeys Keys, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json, byte[] Search,
    bool KeysChanged = true);

public sealed record GroupRow(string Id, string DisplayNameLower, string? ExternalId, long Version, DateTimeOffset Created, DateTimeOffset LastModified, byte[] Json,
    byte[] Search, bool KeysChanged = true);

public sealed record MembershipChange(IReadOnlyCollection<string> Add, IReadOnlyCollection<string> Remove)
{
    public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
}

/// <summary>
/// A list of users or groups: a filter (null for all), an order (null for insertion order), how
/// many resources the store may examine outside its indexes to answer it (R-FLT-5), and a user the
/// filter names who must exist (R-FLT-7 [AWS]: a membership filter naming an unknown user is refused).
/// </summary>
public sealed record ResourceQuery(FilterExpression? Filter = null, ResourceSort? Sort = null, int ScanLimit = int.MaxValue, string? RequiredUser = null)
{
    public static readonly ResourceQuery All = new();

    /// <summary>The resources whose attribute at <paramref name="path"/> equals <paramref name="value"/>.</summary>
    public static ResourceQuery Equal(FilterScope scope, string path, string value) =>
        new(new AttributeFilter(scope.Resolve(path) ?? throw new ArgumentException($"'{path}' is no attribute.", nameof(path)), FilterOperator.Eq, value));
}

/// <summary>Either an index page (1-based <see cref="StartIndex"/>) or a cursor page after <see cref="After"/>.</summary>
public sealed record PageRequest(int Count, int StartIndex, bool CursorMode, long After);

/// <summary>Rendered resources of one page; <see cref="Total"/> only in index mode, <see cref="NextCursor"/> only in cursor mode.</summary>
public sealed record ResourcePage(IReadOnlyList<PageItem> Resources, int? Total, long? NextCursor);

/// <summary>One resource of a page: its id, its version and its rendered JSON (UTF-8).</summary>
public sealed record PageItem(string Id, long Version, byte[] Json);

/// <summary>One membership edge: the group and its member.</summary>
public readonly record struct Membership(string GroupId, string UserId);

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

/// <summary>A filter or an order that would examine more resources outside the indexes than the limit allows (R-FLT-5).</summary>
public sealed class TooManyResultsException(int limit) : StoreRefusalException(
    $"The filter would examine more than {limit} resources outside the directory's indexes; narrow it, e.g. by userName, externalId or a group.");

public sealed class StaleWriteException() : StoreRefusalException("The resource was changed by another writer.");

public sealed class UnknownPrincipalException(string principalId) : StoreRefusalException($"'{principalId}' is not a user or group of this directory.");
