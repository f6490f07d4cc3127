using Npgsql;
using NpgsqlTypes;

namespace IdentityDirectory.Store;

/// <summary>
/// Commands and batches with <c>@name</c> parameters, as the store's SQL writes them on both engines.
/// Statements are prepared by the data source's automatic preparation, so they are not compiled per call.
/// </summary>
internal static class PostgresStatements
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
            command.Parameters.Add(Parameter(parameter));
        return command;
    }

    /// <summary>One statement of a batch: the statements of a batch go to the server in one round trip.</summary>
    public static NpgsqlBatchCommand Statement(string sql, params (string Name, object? Value)[] parameters)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
            statement.Parameters.Add(Parameter(parameter));
        return statement;
    }

    /// <summary>Runs the statements in one round trip.</summary>
    /// <returns>The rows each statement changed.</returns>
    public static async Task<int[]> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, params NpgsqlBatchCommand[] statements)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var statement in statements)
            batch.BatchCommands.Add(statement);
        await batch.ExecuteNonQueryAsync();
        return [.. statements.Select(statement => statement.RecordsAffected)];
    }

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    // A null has no type of its own; every nullable value of the store is text.
    private static NpgsqlParameter Parameter((string Name, object? Value) parameter) => parameter.Value is null
        ? new NpgsqlParameter(parameter.Name, NpgsqlDbType.Text) { Value = DBNull.Value }
        : new NpgsqlParameter(parameter.Name, parameter.Value);
}
