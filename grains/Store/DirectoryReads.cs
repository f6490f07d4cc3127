using System.Data.Common;
using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;

namespace IdentityDirectory.Store;

/// <summary>A read that lists rows: its SQL and how a row becomes a value.</summary>
internal sealed record ListRead<T>(string Sql, Func<DbDataReader, T> Row);

/// <summary>The listing reads besides the SCIM queries, in the SQL both engines speak, with their rows' mapping.</summary>
internal static class DirectoryReads
{
    /// <summary>Assignments of a directory, of one principal and of one target when given (<c>@principal</c>, <c>@target</c>), in creation order.</summary>
    public static readonly ListRead<Assignment> Assignments = new(
        $"""
        SELECT id, principal_type, principal_id, target, permission_set, created_ticks, seq FROM directory_assignments
        WHERE tenant_id = @t AND (@principal IS NULL OR principal_id = @principal) AND (@target IS NULL OR target = @target) AND seq > @after
        ORDER BY seq {StoreParameters.Limit}
        """,
        r => new Assignment(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FromTicks(r.GetInt64(5)), r.GetInt64(6)));

    /// <summary>S-5: the grants of user <c>@u</c> and of its groups, each once.</summary>
    public static readonly ListRead<AccessGrant> Access = new(
        """
        SELECT DISTINCT target, permission_set FROM directory_assignments
        WHERE tenant_id = @t AND (principal_id = @u
            OR principal_id IN (SELECT group_id FROM directory_members WHERE tenant_id = @t AND user_id = @u))
        ORDER BY target, permission_set
        """,
        r => new AccessGrant(r.GetString(0), r.GetString(1)));

    /// <summary>
    /// R-GRP-4: the edges of the groups in <c>@ids</c>, each group's members in the order they joined.
    /// <paramref name="inIds"/> is the engine's test of a column against the list of ids it binds to <c>@ids</c>.
    /// </summary>
    public static ListRead<Membership> MembersOf(Func<string, string> inIds) => new(
        $"SELECT group_id, user_id FROM directory_members WHERE tenant_id = @t AND {inIds("group_id")} ORDER BY group_id, user_seq", Edge);

    /// <summary>R-USR-2: the edges of the users in <c>@ids</c>, each user's groups in their creation order.</summary>
    public static ListRead<Membership> GroupsOf(Func<string, string> inIds) => new(
        $"SELECT group_id, user_id FROM directory_members WHERE tenant_id = @t AND {inIds("user_id")} ORDER BY user_id, group_seq", Edge);

    public static readonly ListRead<(long Seq, string TenantId)> Tenants = new(
        "SELECT seq, tenant_id FROM directory_tenants WHERE seq > @after ORDER BY seq " + StoreParameters.Limit,
        r => (r.GetInt64(0), r.GetString(1)));

    public static readonly ListRead<AuditEntry> Audit = new(
        "SELECT seq, at_ticks, actor, action, target, request_id FROM directory_audit_log WHERE tenant_id = @tenant AND seq > @after ORDER BY seq " + StoreParameters.Limit,
        r => new AuditEntry(FromTicks(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(0)));

    /// <summary>The tenant's audit records newest first, before position <c>@before</c>, for the operator's activity view.</summary>
    public static readonly ListRead<AuditEntry> RecentAudit = Audit with
    {
        Sql = "SELECT seq, at_ticks, actor, action, target, request_id FROM directory_audit_log WHERE tenant_id = @tenant AND seq < @before ORDER BY seq DESC " + StoreParameters.Limit,
    };

    public static readonly ListRead<DirectoryEvent> Events = new(
        "SELECT seq, type, subject, at_ticks, detail FROM directory_events WHERE tenant_id = @tenant AND seq > @after ORDER BY seq " + StoreParameters.Limit,
        Event);

    /// <summary>The tenant's events newest first, before position <c>@before</c>, for the operator's activity view.</summary>
    public static readonly ListRead<DirectoryEvent> RecentEvents = Events with
    {
        Sql = "SELECT seq, type, subject, at_ticks, detail FROM directory_events WHERE tenant_id = @tenant AND seq < @before ORDER BY seq DESC " + StoreParameters.Limit,
    };

    /// <summary>Events of every tenant, for the operator webhook.</summary>
    public static readonly ListRead<(string TenantId, DirectoryEvent Event)> AllEvents = new(
        "SELECT seq, type, subject, at_ticks, detail, tenant_id FROM directory_events WHERE seq > @after ORDER BY seq " + StoreParameters.Limit,
        r => (r.GetString(5), Event(r)));

    /// <summary>A page of tenant ids from up to <paramref name="count"/> + 1 rows of <see cref="Tenants"/>: the extra row says a next page exists.</summary>
    public static (IReadOnlyList<string> TenantIds, long? Next) TenantPage(IReadOnlyList<(long Seq, string TenantId)> rows, int count) =>
        ([.. rows.Take(count).Select(row => row.TenantId)], rows.Count > count ? rows[count - 1].Seq : null);

    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static Membership Edge(DbDataReader r) => new(r.GetString(0), r.GetString(1));

    private static DirectoryEvent Event(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), FromTicks(r.GetInt64(3)), r.GetString(4));
}
