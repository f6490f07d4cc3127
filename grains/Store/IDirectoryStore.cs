using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;

namespace IdentityDirectory.Store;

/// <summary>
/// The directory store (DESIGN.md §2): users, groups and membership edges in our own tables, with
/// unique indexes for the uniqueness rules, an index per supported filter and keyset pagination.
/// Every write is one transaction, with its audit record, and returns only after it committed.
/// Users, groups, memberships and assignments belong to a <see cref="DirectoryPartition"/>; the
/// registry, events and the audit trail belong to the tenant (a <c>tenantId</c>), whatever its
/// generation. The rules the store decides itself are named in <see cref="DirectoryRules"/>.
/// Two engines: <see cref="SqliteDirectoryStore"/> (embedded) and <see cref="PostgresDirectoryStore"/> (cluster).
/// </summary>
public interface IDirectoryStore
{
    /// <summary>Commits a small write through the writer and runs a read; throws when either cannot be done (readiness).</summary>
    Task CheckAsync();

    Task<StoredResource?> GetUserAsync(DirectoryPartition partition, string userId);

    /// <exception cref="UniqueConstraintException">userName, externalId or email already taken.</exception>
    /// <exception cref="QuotaExceededException">the tenant holds its quota of users (<paramref name="defaultQuota"/> unless the tenant has its own).</exception>
    Task InsertUserAsync(DirectoryPartition partition, UserRow user, int defaultQuota, AuditEntry audit);

    /// <summary>Replaces the user whose stored version is <c>user.Version - 1</c>.</summary>
    Task UpdateUserAsync(DirectoryPartition partition, UserRow user, AuditEntry audit);

    /// <summary>Deletes the user, its membership edges (R-GRP-6) and, unless kept (I-2), its assignments.</summary>
    Task<bool> DeleteUserAsync(DirectoryPartition partition, string userId, AuditEntry audit, bool keepAssignments = false);

    /// <summary>Records that the user signed in at least once, so its deletion or disable must reach its sessions.</summary>
    Task MarkSignedInAsync(DirectoryPartition partition, string userId);

    Task<StoredResource?> GetGroupAsync(DirectoryPartition partition, string groupId);

    /// <exception cref="UnknownMemberException">a member is not a user of the tenant.</exception>
    Task InsertGroupAsync(DirectoryPartition partition, GroupRow group, IReadOnlyCollection<string> memberIds, int defaultQuota, AuditEntry audit);

    /// <summary>
    /// Writes the membership changes and, when <paramref name="attributesChanged"/> or an edge was inserted or deleted,
    /// the group row, in one transaction. False when nothing changed (adding a member, removing a non-member: R-PAT-5,
    /// R-META-4), and the group keeps its version and lastModified.
    /// </summary>
    Task<bool> UpdateGroupAsync(DirectoryPartition partition, string groupId, GroupRow group, MembershipChange members, bool attributesChanged, AuditEntry audit);

    /// <summary>Deletes the group, its membership edges and, unless kept (I-2), its assignments.</summary>
    Task<bool> DeleteGroupAsync(DirectoryPartition partition, string groupId, AuditEntry audit, bool keepAssignments = false);

    /// <exception cref="TooManyResultsException">the query would examine more users outside the indexes than <see cref="ResourceQuery.ScanLimit"/>.</exception>
    Task<ResourcePage> QueryUsersAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page);

    /// <exception cref="TooManyResultsException">the query would examine more groups outside the indexes than <see cref="ResourceQuery.ScanLimit"/>.</exception>
    /// <exception cref="UnknownMemberException">no group matched and <see cref="ResourceQuery.RequiredUser"/> is not a user of the partition.</exception>
    Task<ResourcePage> QueryGroupsAsync(DirectoryPartition partition, ResourceQuery query, PageRequest page);

    /// <summary>The members of the given groups, each group's in the order they joined (R-GRP-4).</summary>
    Task<IReadOnlyList<Membership>> MembersOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> groupIds);

    /// <summary>The groups the given users belong to, each user's in the groups' creation order (R-USR-2: the readOnly <c>groups</c>).</summary>
    Task<IReadOnlyList<Membership>> GroupsOfAsync(DirectoryPartition partition, IReadOnlyCollection<string> userIds);

    /// <exception cref="UnknownPrincipalException">the principal is not a user or group of the partition.</exception>
    /// <exception cref="UniqueConstraintException">the same grant exists.</exception>
    Task AddAssignmentAsync(DirectoryPartition partition, Assignment assignment, AuditEntry audit);

    Task<bool> DeleteAssignmentAsync(DirectoryPartition partition, string assignmentId, AuditEntry audit);

    /// <summary>Assignments of one principal or of one target (either may be null for all), in creation order.</summary>
    Task<IReadOnlyList<Assignment>> ListAssignmentsAsync(DirectoryPartition partition, string? principalId, string? target, long after, int count);

    /// <summary>A user's access: its own assignments and those of its groups, without repeats (S-5).</summary>
    Task<IReadOnlyList<AccessGrant>> EffectiveAccessAsync(DirectoryPartition partition, string userId);

    /// <summary>Marks every user of the partition as needing an admin-forced password reset (I-4).</summary>
    Task RequirePasswordResetAsync(DirectoryPartition partition);

    Task<bool> PasswordResetRequiredAsync(DirectoryPartition partition, string userId);

    /// <summary>Deletes up to <paramref name="batch"/> rows of a retired partition; true while rows remain (I-8).</summary>
    Task<bool> PurgePartitionAsync(DirectoryPartition partition, int batch);

    /// <summary>Maps an identity store id to its tenant, for the access portal (I-10).</summary>
    Task SetPortalAsync(string identityStoreId, string tenantId);

    Task RemovePortalAsync(string identityStoreId);

    Task<string?> FindPortalTenantAsync(string identityStoreId);

    /// <summary>Sets the directory's quotas, which every create checks in its own transaction (R-AWS-1, O-3).</summary>
    Task SetQuotasAsync(DirectoryPartition partition, int users, int groups);

    /// <summary>Adds the tenant to the registry the operator lists (O-2); idempotent.</summary>
    Task RegisterTenantAsync(string tenantId, DateTimeOffset createdAt);

    /// <summary>Tenant ids in creation order, after the given position (0 = from the start).</summary>
    Task<(IReadOnlyList<string> TenantIds, long? Next)> ListTenantsAsync(long after, int count);

    /// <summary>
    /// Takes a deleted tenant out of the registry the operator lists and out of the portal map (O-2), and
    /// refuses every later create of its users and groups (<see cref="TenantDeletedException"/>), so a
    /// request admitted before the delete cannot leave one behind; its rows go by <see cref="PurgeTenantAsync"/>.
    /// </summary>
    Task WithdrawTenantAsync(string tenantId);

    /// <summary>
    /// Deletes up to <paramref name="batch"/> rows of the tenant's directories of every generation (users,
    /// groups, memberships, assignments, usage, events, audit); true while rows remain (O-2).
    /// </summary>
    Task<bool> PurgeTenantAsync(string tenantId, int batch);

    /// <summary>Appends events; an event already stored (same type, subject and instant) is not stored twice.</summary>
    Task AppendEventsAsync(string tenantId, IReadOnlyList<DirectoryEvent> events);

    Task<IReadOnlyList<DirectoryEvent>> ListEventsAsync(string tenantId, long after, int count);

    /// <summary>Records an audit entry of an action outside the resource writes (tenant and token actions).</summary>
    Task AppendAuditAsync(string tenantId, AuditEntry audit);

    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenantId, long after, int count);

    /// <summary>The tenant's audit records newest first, before position <paramref name="before"/>, for the operator's activity view.</summary>
    Task<IReadOnlyList<AuditEntry>> ListRecentAuditAsync(string tenantId, long before, int count);

    /// <summary>The tenant's health events newest first, before position <paramref name="before"/>, for the operator's activity view.</summary>
    Task<IReadOnlyList<DirectoryEvent>> ListRecentEventsAsync(string tenantId, long before, int count);

    /// <summary>Events of every tenant in order after position <paramref name="after"/>, for the operator webhook.</summary>
    Task<IReadOnlyList<(string TenantId, DirectoryEvent Event)>> ListAllEventsAsync(long after, int count);
}
