using System.Buffers.Binary;
using System.Text.RegularExpressions;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;

namespace IdentityDirectory.Queries;

/// <summary>The page a list request asks for, by the profile's paging rules, and the cursors that continue one.</summary>
public static partial class ListPages
{
    /// <summary>
    /// R-LST-3 [AWS]: <c>count</c> 1–100 (default 100), else 400; a <c>cursor</c> switches to keyset paging.
    /// R-LST-2 [RFC]: a negative count reads as 0 (only totalResults), one above the maximum as the maximum;
    /// <c>cursor</c> is ignored. Both: <c>startIndex</c> is 1-based and read as 1 below that.
    /// </summary>
    public static PageRequest Of(WireProfile profile, ListQuery query)
    {
        var count = ListPaging.MaxCount;
        var isInteger = query.Count is null || int.TryParse(query.Count, out count);
        if (!isInteger || (profile.StrictCount && count is < 1 or > ListPaging.MaxCount))
            throw ScimException.InvalidValue(profile.StrictCount ? $"count must be an integer from 1 to {ListPaging.MaxCount}." : "count must be an integer.");
        count = Math.Clamp(count, 0, ListPaging.MaxCount);
        var startIndex = 1;
        if (query.StartIndex is not null && !int.TryParse(query.StartIndex, out startIndex))
            throw ScimException.InvalidValue("startIndex must be an integer.");
        if (query.Cursor is null || !profile.Cursors)
            return new PageRequest(count, Math.Max(1, startIndex), CursorMode: false, After: 0);
        return new PageRequest(count, 1, CursorMode: true, After: DecodeCursor(query.Cursor));
    }

    public static string EncodeCursor(long after)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, after);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>R-LST-3: pattern [-a-zA-Z0-9+=/:_]*; anything we did not issue is 400.</summary>
    private static long DecodeCursor(string cursor)
    {
        if (cursor.Length == 0)
            return 0;
        Span<byte> bytes = stackalloc byte[12];
        if (!CursorPattern().IsMatch(cursor) || !Convert.TryFromBase64String(cursor, bytes, out var written) || written != 8)
            throw ScimException.InvalidValue("The cursor is not valid.");
        var after = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return after >= 0 ? after : throw ScimException.InvalidValue("The cursor is not valid.");
    }

    [GeneratedRegex("^[-a-zA-Z0-9+=/:_]*$")]
    private static partial Regex CursorPattern();
}
