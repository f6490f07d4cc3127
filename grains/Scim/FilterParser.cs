using System.Text.Json;

namespace IdentityDirectory.Scim;

/// <summary>One <c>attribute operator value</c> term of a filter.</summary>
public sealed record FilterComparison(string AttributePath, string Operator, string? Value);

/// <summary>
/// Parses the filter subset of the aws profile (R-FLT-6): comparisons joined by <c>and</c>, operator
/// <c>eq</c> only. Attribute names and operators are case-insensitive (R-FLT-2). Everything else,
/// including a malformed filter, is 400 invalidFilter (R-FLT-4).
/// </summary>
public static class FilterParser
{
    public static IReadOnlyList<FilterComparison> ParseConjunction(string filter)
    {
        var tokens = Tokenize(filter);
        var terms = new List<FilterComparison>();
        var position = 0;
        while (true)
        {
            if (position + 3 > tokens.Count)
                throw Malformed(filter);
            var attribute = tokens[position];
            var op = tokens[position + 1];
            var value = tokens[position + 2];
            if (attribute.Kind != TokenKind.Word || op.Kind != TokenKind.Word)
                throw Malformed(filter);
            if (!op.Text.Equals("eq", StringComparison.OrdinalIgnoreCase))
                throw ScimException.InvalidFilter($"Operator '{op.Text}' is not supported; only 'eq' filters are supported.");
            terms.Add(new FilterComparison(attribute.Text, "eq", LiteralText(value)));
            position += 3;
            if (position == tokens.Count)
                return terms;
            var joiner = tokens[position];
            if (joiner.Kind != TokenKind.Word || !joiner.Text.Equals("and", StringComparison.OrdinalIgnoreCase))
                throw ScimException.InvalidFilter($"'{joiner.Text}' is not supported; only 'and' may join filter terms.");
            position++;
        }
    }

    private static string LiteralText(Token value) => value switch
    {
        { Kind: TokenKind.String } => value.Text,
        { Kind: TokenKind.Word, Text: var word } when word.Equals("true", StringComparison.OrdinalIgnoreCase) => "true",
        { Kind: TokenKind.Word, Text: var word } when word.Equals("false", StringComparison.OrdinalIgnoreCase) => "false",
        _ => throw ScimException.InvalidFilter("Filter values must be quoted strings or booleans."),
    };

    private static ScimException Malformed(string filter) => ScimException.InvalidFilter($"The filter '{filter}' is malformed.");

    private enum TokenKind { Word, String, Punctuation }

    private readonly record struct Token(TokenKind Kind, string Text);

    private static List<Token> Tokenize(string filter)
    {
        var tokens = new List<Token>();
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
                    throw Malformed(filter);
                tokens.Add(new Token(TokenKind.String, Unescape(filter[i..(end + 1)], filter)));
                i = end + 1;
            }
            else if (c is '(' or ')' or '[' or ']')
            {
                tokens.Add(new Token(TokenKind.Punctuation, c.ToString()));
                i++;
            }
            else
            {
                var start = i;
                while (i < filter.Length && !char.IsWhiteSpace(filter[i]) && filter[i] is not ('"' or '(' or ')' or '[' or ']'))
                    i++;
                tokens.Add(new Token(TokenKind.Word, filter[start..i]));
            }
        }
        return tokens;
    }

    private static string Unescape(string quoted, string filter)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(quoted) ?? throw Malformed(filter);
        }
        catch (JsonException)
        {
            throw Malformed(filter);
        }
    }
}
