using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace IdentityDirectory.Store;

/// <summary>
/// The commands of each connection, compiled once and reused by every later call: the writer's and the
/// readers' connections live as long as the store, most writes run four to six statements, and
/// compiling a list query and its count on every read cost a filter a fifth of its CPU
/// (bench/PROFILE.md, "Sixth look"). A connection serves one write group or one read at a time, so a
/// command is never in use twice; callers must not dispose it.
/// </summary>
internal static class SqliteStatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Statements = new();

    /// <summary>The command for <paramref name="sql"/> on this connection, in <paramref name="transaction"/> (null for a read), with these parameters.</summary>
    public static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var statements = Statements.GetOrCreateValue(connection);
        if (!statements.TryGetValue(sql, out var command))
        {
            // Filters compile to as many texts as clients write shapes of filter: past a bound, start again.
            if (statements.Count >= MaxStatements)
            {
                foreach (var statement in statements.Values)
                    statement.Dispose();
                statements.Clear();
            }
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements[sql] = command;
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Far above the statements of the product's own shapes (a few dozen), so only unusual filters are ever compiled again.</summary>
    private const int MaxStatements = 256;

    /// <summary>Disposes the connection's commands, then the connection.</summary>
    public static void Close(SqliteConnection connection)
    {
        if (Statements.TryGetValue(connection, out var statements))
        {
            foreach (var statement in statements.Values)
                statement.Dispose();
        }
        connection.Dispose();
    }
}
