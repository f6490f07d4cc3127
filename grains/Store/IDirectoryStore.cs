namespace IdentityDirectory.Store;

/// <summary>
/// The directory store (DESIGN.md §2): users, groups and membership edges in our own tables, with
/// unique indexes for the uniqueness rules, an index per supported filter and keyset pagination.
/// Every write is one transaction, with its audit record, and returns only after it committed.
/// Every call is scoped by tenant.
/// </summary>
public interface IDirectoryStore
{
    Task<StoredResource?> GetUserAsync(string tenantId, string userId);

    /// <exception cref="UniqueConstraintException">userName, externalId or email already taken.</exception>
    /// <exception cref="QuotaExceededException">the tenant holds its quota of users (<paramref name="defaultQuota"/> unless the tenant has its own).</exception>
    Task InsertUserAsync(string tenantId, UserRow user, int defaultQuota, AuditEntry audit);

    /// <summary>Replaces the user whose stored version is <c>user.Version - 1</c>.</summary>
    Task UpdateUserAsync(string tenantId, UserRow user, AuditEntry audit);

    /// <summary>Deletes the user and, by cascade, its membership edges (R-GRP-6).</summary>
    Task<bool> DeleteUserAsync(string tenantId, string userId, AuditEntry audit);

    Task<bool> UserExistsAsync(string tenantId, string userId);

    Task<StoredResource?> GetGroupAsync(string tenantId, string groupId);

    /// <exception cref="UnknownMemberException">a member is not a user of the tenant.</exception>
    Task InsertGroupAsync(string tenantId, GroupRow group, IReadOnlyCollection<string> memberIds, int defaultQuota, AuditEntry audit);

    /// <summary>Writes the group row (when given) and the membership changes in one transaction.</summary>
    Task UpdateGroupAsync(string tenantId, string groupId, GroupRow? group, MembershipChange members, AuditEntry audit);

    Task<bool> DeleteGroupAsync(string tenantId, string groupId, AuditEntry audit);

    Task<ResourcePage> QueryUsersAsync(string tenantId, UserQuery query, PageRequest page);

    Task<ResourcePage> QueryGroupsAsync(string tenantId, GroupQuery query, PageRequest page);

    /// <summary>Sets the tenant's quotas, which every create checks in its own transaction (R-AWS-1, O-3).</summary>
    Task SetQuotasAsync(string tenantId, int users, int groups);

    /// <summary>Adds the tenant to the registry the operator lists (O-2); idempotent.</summary>
    Task RegisterTenantAsync(string tenantId, DateTimeOffset createdAt);

    /// <summary>Tenant ids in creation order, after the given position (0 = from the start).</summary>
    Task<(IReadOnlyList<string> TenantIds, long? Next)> ListTenantsAsync(long after, int count);

    /// <summary>Deletes every user, group, membership and event of the tenant, and its registry entry (O-2).</summary>
    Task DeleteTenantAsync(string tenantId);

    /// <summary>Appends events; an event already stored (same type, subject and instant) is not stored twice.</summary>
    Task AppendEventsAsync(string tenantId, IReadOnlyList<DirectoryEvent> events);

    Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(string tenantId, long after, int count);

    /// <summary>Records an audit entry of an action outside the resource writes (tenant and token actions).</summary>
    Task AppendAuditAsync(string tenantId, AuditEntry audit);

    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenantId, long after, int count);

    /// <summary>Events of every tenant in order after position <paramref name="after"/>, for the operator webhook.</summary>
    Task<IReadOnlyList<(string TenantId, DirectoryEvent Event)>> ListAllEventsAsync(long after, int count);
}
