using System.Text.Json;

namespace IdentityDirectory.Filters;

internal enum FilterTokenKind { Word, String, Open, Close, OpenBracket, CloseBracket }

/// <param name="Position">0-based offset of the token in the filter, for errors.</param>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string word) => Kind == FilterTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits a filter into words, JSON strings and brackets. A word runs to the next space, quote or
/// bracket, so <c>emails[type eq "work"].value</c> gives <c>emails</c>, <c>[</c>, …, <c>]</c>, <c>.value</c>.
/// </summary>
internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string filter)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < filter.Length)
        {
            var c = filter[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var end = i + 1;
                while (end < filter.Length && filter[end] != '"')
                    end += filter[end] == '\\' ? 2 : 1;
                if (end >= filter.Length)
                    throw new FilterException(FilterErrorKind.Malformed, $"The filter '{filter}' is malformed: the string at position {i + 1} is not closed.");
                tokens.Add(new FilterToken(FilterTokenKind.String, Unescape(filter, i, end), i));
                i = end + 1;
            }
            else if (c is '(' or ')' or '[' or ']')
            {
                var kind = c switch { '(' => FilterTokenKind.Open, ')' => FilterTokenKind.Close, '[' => FilterTokenKind.OpenBracket, _ => FilterTokenKind.CloseBracket };
                tokens.Add(new FilterToken(kind, c.ToString(), i));
                i++;
            }
            else
            {
                var start = i;
                while (i < filter.Length && !char.IsWhiteSpace(filter[i]) && filter[i] is not ('"' or '(' or ')' or '[' or ']'))
                    i++;
                tokens.Add(new FilterToken(FilterTokenKind.Word, filter[start..i], start));
            }
        }
        return tokens;
    }

    /// <summary>The text of a JSON string literal; its escapes are JSON's (RFC 7644 §3.4.2.2 compValue).</summary>
    private static string Unescape(string filter, int open, int close)
    {
        var text = filter.AsSpan(open + 1, close - open - 1);
        if (!text.ContainsAny('\\', '\u0000') && !text.ContainsAnyInRange('\u0001', '\u001f'))
            return text.ToString(); // nothing to unescape, nothing JSON forbids in a string
        try
        {
            return JsonSerializer.Deserialize<string>(filter.AsSpan(open, close - open + 1))!;
        }
        catch (JsonException)
        {
            throw new FilterException(FilterErrorKind.Malformed, $"The filter '{filter}' is malformed: the string at position {open + 1} is not a valid JSON string.");
        }
    }
}
