using IdentityDirectory.Filters;

namespace IdentityDirectory.Scim;

/// <summary>One <c>attribute operator value</c> term of a filter.</summary>
public sealed record FilterComparison(string AttributePath, string Operator, string? Value);

/// <summary>
/// Parses the filter of a PATCH path in the aws profile (R-PAT-10): comparisons joined by <c>and</c>,
/// operator <c>eq</c> only. Attribute names and operators are case-insensitive (R-FLT-2). Everything
/// else, including a malformed filter, is 400 invalidFilter (R-FLT-4).
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
            if (attribute.Kind != FilterTokenKind.Word || op.Kind != FilterTokenKind.Word)
                throw Malformed(filter);
            if (!op.Text.Equals("eq", StringComparison.OrdinalIgnoreCase))
                throw ScimException.InvalidFilter($"Operator '{op.Text}' is not supported; only 'eq' filters are supported.");
            terms.Add(new FilterComparison(attribute.Text, "eq", LiteralText(value)));
            position += 3;
            if (position == tokens.Count)
                return terms;
            var joiner = tokens[position];
            if (!joiner.IsWord("and"))
                throw ScimException.InvalidFilter($"'{joiner.Text}' is not supported; only 'and' may join filter terms.");
            position++;
        }
    }

    private static string LiteralText(FilterToken value) => value switch
    {
        { Kind: FilterTokenKind.String } => value.Text,
        _ when value.IsWord("true") => "true",
        _ when value.IsWord("false") => "false",
        _ => throw ScimException.InvalidFilter("Filter values must be quoted strings or booleans."),
    };

    private static ScimException Malformed(string filter) => ScimException.InvalidFilter($"The filter '{filter}' is malformed.");

    private static List<FilterToken> Tokenize(string filter)
    {
        try
        {
            return FilterTokenizer.Tokenize(filter);
        }
        catch (FilterException)
        {
            throw Malformed(filter);
        }
    }
}
