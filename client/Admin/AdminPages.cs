using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Admin;

/// <summary>Keyset pages of the admin lists: a bounded page size, and the position to continue after.</summary>
internal static class AdminPages
{
    public static int Size(int? count) => Math.Clamp(count ?? 100, 1, 1000);

    /// <summary>The last item's position when the page is full (there may be more), otherwise none.</summary>
    public static long? Next<T>(IReadOnlyList<T> page, int size, Func<T, long> position) => page.Count == size ? position(page[^1]) : null;

    /// <summary>Logs list oldest first unless <c>order=newest</c>.</summary>
    public static bool TryNewestFirst(string? order, out bool newest)
    {
        newest = order == "newest";
        return order is null or "oldest" or "newest";
    }

    public static IResult UnknownOrder() =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "'order' must be 'oldest' or 'newest'.");
}
