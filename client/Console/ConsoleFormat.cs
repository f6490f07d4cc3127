using System.Globalization;

namespace IdentityDirectory.Gateway.Console;

public static class ConsoleFormat
{
    /// <summary>An instant as the console shows every instant: UTC to the second, sortable.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Instant(DateTimeOffset? at) => at is { } value ? Instant(value) : "never";

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => $"{span.TotalDays:0} days",
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => $"{span.TotalHours:0} hours",
        _ => $"{span.TotalMinutes:0} minutes",
    };

    /// <summary>The query string of a list page: the search (when there is one) and the cursor of the page.</summary>
    public static string ListQuery(string by, string? search, string? cursor)
    {
        var parts = new List<string>();
        if (search is not null)
            parts.Add($"by={Uri.EscapeDataString(by)}&q={Uri.EscapeDataString(search)}");
        if (cursor is not null)
            parts.Add($"cursor={Uri.EscapeDataString(cursor)}");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
