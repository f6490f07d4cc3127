using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// A cheap summary of everything a request can change in the product's SQLite file, read between requests:
/// for every directory table its row count and the sums that any write moves (versions, sequence numbers,
/// the length of stored resources, quotas), and the same for Orleans grain state (tenant settings, tokens,
/// the operator). Every store write inserts, deletes, or bumps a version or sequence, so a refused request
/// that wrote anything changes the summary. The product instance serves only the fuzzer, so the whole file
/// is the scope: a write to any tenant, known or not, is seen.
/// </summary>
public sealed class StoreFingerprint(SqliteConnection database) : IDisposable
{
    private const string Query = """
        SELECT
          (SELECT count(*) || '/' || total(version) || '/' || ifnull(max(seq), 0) || '/' || total(length(resource)) || '/' || total(length(user_name_lc) + length(ifnull(email_lc, '')) + length(ifnull(external_id, ''))) FROM directory_users),
          (SELECT count(*) || '/' || total(version) || '/' || ifnull(max(seq), 0) || '/' || total(length(resource)) || '/' || total(member_count) FROM directory_groups),
          (SELECT count(*) || '/' || total(user_seq) || '/' || total(group_seq) FROM directory_members),
          (SELECT count(*) || '/' || ifnull(max(seq), 0) FROM directory_assignments),
          (SELECT count(*) || '/' || total(users) || '/' || total(groups) || '/' || total(ifnull(user_quota, -1)) || '/' || total(ifnull(group_quota, -1)) FROM directory_usage),
          (SELECT count(*) || '/' || ifnull(max(seq), 0) FROM directory_events),
          (SELECT count(*) || '/' || total(seq) FROM directory_audit_log),
          (SELECT count(*) || '/' || ifnull(max(seq), 0) FROM directory_tenants),
          (SELECT count(*) FROM directory_portals),
          (SELECT count(*) FROM directory_deleted_tenants),
          (SELECT count(*) || '/' || total(version) || '/' || total(length(payload)) FROM orleans_grain_state)
        """;

    private readonly SqliteCommand _command = Command(database);

    public string Read()
    {
        using var reader = _command.ExecuteReader();
        reader.Read();
        return string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetString));
    }

    private static SqliteCommand Command(SqliteConnection database)
    {
        var command = database.CreateCommand();
        command.CommandText = Query;
        return command;
    }

    public void Dispose() => _command.Dispose();
}
