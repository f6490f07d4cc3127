using System.Globalization;
using System.Text.RegularExpressions;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Filters;

/// <summary>
/// Parses the filter language of RFC 7644 §3.4.2.2 into a <see cref="FilterExpression"/> (R-FLT-1..4):
/// <c>eq ne co sw ew gt ge lt le pr</c>, <c>and</c>, <c>or</c>, <c>not ( … )</c>, grouping, value paths
/// (<c>emails[type eq "work"]</c>, also followed by <c>.value eq "x"</c> as Entra writes it),
/// sub-attributes and URN-qualified paths. Precedence: <c>()</c> over <c>not</c> over <c>and</c> over <c>or</c>.
/// Keywords and attribute names are case-insensitive; values are JSON literals checked against the
/// attribute's type, so <c>active gt true</c> or <c>userName eq 5</c> are refused here, never in the store.
/// </summary>
public sealed partial class FilterSyntax
{
    private readonly string _filter;
    private readonly List<FilterToken> _tokens;
    private readonly FilterScope _scope;
    private readonly bool _booleansAsText;
    private int _next;

    private FilterSyntax(string filter, FilterScope scope, bool booleansAsText)
    {
        _filter = filter;
        _tokens = FilterTokenizer.Tokenize(filter);
        _scope = scope;
        _booleansAsText = booleansAsText;
    }

    /// <param name="booleansAsText">reads <c>true</c>/<c>false</c> compared with a string attribute as that text (the aws profile's lenience).</param>
    /// <param name="brackets">whether grouping and value paths are part of the language (not in the aws subset, where they are malformed).</param>
    /// <exception cref="FilterException">the filter is malformed or names what cannot be filtered.</exception>
    public static FilterExpression Parse(string filter, FilterScope scope, bool booleansAsText = false, bool brackets = true)
    {
        var parser = new FilterSyntax(filter, scope, booleansAsText);
        if (!brackets && parser._tokens.Exists(t => t.Kind is not (FilterTokenKind.Word or FilterTokenKind.String)))
            throw parser.Malformed("it holds brackets");
        if (parser._tokens.Count == 0)
            throw parser.Malformed("it is empty");
        var expression = parser.ParseOr(null);
        if (parser._next < parser._tokens.Count)
            throw parser.Malformed($"'{parser._tokens[parser._next].Text}' at position {parser._tokens[parser._next].Position + 1} is not expected there");
        return expression;
    }

    /// <summary>The attribute of a <c>sortBy</c> (R-LST-5): a single path, no filter.</summary>
    public static FilterAttribute ParseSortBy(string sortBy, FilterScope scope)
    {
        var attribute = scope.Resolve(sortBy.Trim())
            ?? throw new FilterException(FilterErrorKind.UnknownAttribute, $"sortBy names '{sortBy}', which is not an attribute of a {scope.ResourceType}.", sortBy);
        attribute = ValueOf(attribute) ?? attribute;
        // A group's members or a user's groups have no order of their own to sort by.
        if (attribute.Leaf.Type == AttributeType.Complex || attribute.Leaf.Returned == Returned.Never || IsUnfilterable(attribute)
            || attribute.Attribute.Name is "members" or "groups")
            throw new FilterException(FilterErrorKind.NotFilterable, $"Resources cannot be sorted by '{sortBy}'.", sortBy);
        return attribute;
    }

    private FilterExpression ParseOr(FilterAttribute? parent)
    {
        var left = ParseAnd(parent);
        while (Peek() is { } token && token.IsWord("or"))
        {
            _next++;
            left = new OrFilter(left, ParseAnd(parent));
        }
        return left;
    }

    private FilterExpression ParseAnd(FilterAttribute? parent)
    {
        var left = ParseUnary(parent);
        while (Peek() is { } token && token.IsWord("and"))
        {
            _next++;
            left = new AndFilter(left, ParseUnary(parent));
        }
        return left;
    }

    private FilterExpression ParseUnary(FilterAttribute? parent)
    {
        var token = Take("an attribute, 'not' or '('");
        if (token.IsWord("not"))
        {
            Expect(FilterTokenKind.Open, "'(' after 'not'");
            var operand = ParseOr(parent);
            Expect(FilterTokenKind.Close, "')'");
            return new NotFilter(operand);
        }
        if (token.Kind == FilterTokenKind.Open)
        {
            var inner = ParseOr(parent);
            Expect(FilterTokenKind.Close, "')'");
            return inner;
        }
        if (token.Kind != FilterTokenKind.Word || token.IsWord("and") || token.IsWord("or"))
            throw Malformed($"an attribute, 'not' or '(' is expected at position {token.Position + 1}, not '{token.Text}'");
        if (Peek() is { Kind: FilterTokenKind.OpenBracket } bracket)
        {
            if (parent is not null)
                throw Malformed($"value filters do not nest (position {bracket.Position + 1})");
            return ParseValuePath(token);
        }
        return ParseComparison(token, parent);
    }

    /// <summary><c>attr[filter]</c>, or <c>attr[filter].sub op value</c>, which is <c>attr[filter and sub op value]</c>.</summary>
    private FilterExpression ParseValuePath(FilterToken path)
    {
        _next++; // '['
        var attribute = _scope.Resolve(path.Text) is { Sub: null } resolved ? resolved : throw UnknownAttribute(path.Text);
        if (!attribute.Attribute.MultiValued || attribute.Attribute.Type != AttributeType.Complex)
            throw new FilterException(FilterErrorKind.NotFilterable, $"'{path.Text}' is not a multi-valued attribute, so it takes no value filter.", path.Text);
        var filter = ParseOr(attribute);
        Expect(FilterTokenKind.CloseBracket, "']'");
        if (Peek() is { Kind: FilterTokenKind.Word } sub && sub.Text.StartsWith('.'))
        {
            _next++;
            filter = new AndFilter(filter, ParseComparison(sub with { Text = sub.Text[1..] }, attribute));
        }
        return new ValuePathFilter(attribute, filter);
    }

    private FilterExpression ParseComparison(FilterToken path, FilterAttribute? parent)
    {
        var opToken = Take($"an operator after '{path.Text}'");
        if (opToken.Kind != FilterTokenKind.Word)
            throw Malformed($"an operator is expected after '{path.Text}', not '{opToken.Text}'");
        var op = Operator(opToken.Text);
        FilterToken? valueToken = null;
        if (op != FilterOperator.Pr)
        {
            valueToken = Take($"a value after '{opToken.Text}'");
            if (valueToken.Value.Kind is not (FilterTokenKind.String or FilterTokenKind.Word))
                throw Malformed($"a value is expected after '{opToken.Text}', not '{valueToken.Value.Text}'");
        }
        var attribute = Resolve(path.Text, parent);
        attribute = op == FilterOperator.Pr ? attribute : ValueOf(attribute) ?? attribute;
        if (attribute.Leaf.Returned == Returned.Never || IsUnfilterable(attribute))
            throw new FilterException(FilterErrorKind.NotFilterable, $"Filtering on '{path.Text}' is not supported.", path.Text);
        if (op == FilterOperator.Pr)
            return new AttributeFilter(attribute, op, null);
        if (attribute.Leaf.Type == AttributeType.Complex)
            throw new FilterException(FilterErrorKind.NotFilterable,
                $"'{path.Text}' is a complex attribute; compare one of its sub-attributes, e.g. {path.Text}.{attribute.Leaf.Children[0].Name}.", path.Text);
        return new AttributeFilter(attribute, op, Value(attribute, op, valueToken!.Value, path.Text));
    }

    private FilterAttribute Resolve(string path, FilterAttribute? parent)
    {
        if (parent is null)
            return _scope.Resolve(path) ?? throw UnknownAttribute(path);
        return parent.Attribute.Find(path) is { } sub ? parent with { Sub = sub } : throw UnknownAttribute($"{parent.Attribute.Name}.{path}");
    }

    /// <summary>A complex attribute with a <c>value</c> compares by it: <c>members eq "u"</c> is <c>members.value eq "u"</c> (R-FLT-7).</summary>
    private static FilterAttribute? ValueOf(FilterAttribute attribute) =>
        attribute.Sub is null && attribute.Attribute.Type == AttributeType.Complex && attribute.Attribute.Find("value") is { } value
            ? attribute with { Sub = value }
            : null;

    /// <summary>
    /// Memberships are edges between ids, not values in a resource, so of <c>members</c> and
    /// <c>groups</c> only the id (<c>value</c>) can be filtered; <c>meta.location</c> and
    /// <c>meta.version</c> are made when a resource is shown, not stored.
    /// </summary>
    private static bool IsUnfilterable(FilterAttribute attribute) =>
        attribute.Attribute.Name is "members" or "groups" ? attribute.Sub is { Name: not "value" }
        : attribute.Attribute == CommonAttributes.Meta && attribute.Sub is { Name: "location" or "version" };

    private object? Value(FilterAttribute attribute, FilterOperator op, FilterToken token, string path)
    {
        var leaf = attribute.Leaf;
        if (token.Kind == FilterTokenKind.Word && token.IsWord("null"))
        {
            return op is FilterOperator.Eq or FilterOperator.Ne
                ? null
                : throw new FilterException(FilterErrorKind.InvalidValue, $"null can only be compared with eq or ne ('{path}').", path);
        }
        var literal = Literal(token);
        switch (leaf.Type)
        {
            case AttributeType.Boolean:
                if (op is not (FilterOperator.Eq or FilterOperator.Ne))
                    throw InvalidOperator(op, "boolean", path);
                return literal as bool? ?? throw InvalidValue(path, "boolean", "true or false");
            case AttributeType.DateTime:
                if (op is FilterOperator.Co or FilterOperator.Sw or FilterOperator.Ew)
                    throw InvalidOperator(op, "dateTime", path);
                return literal is string text && DateTime(text) is { } instant
                    ? instant
                    : throw InvalidValue(path, "dateTime", "a quoted xsd:dateTime such as \"2024-05-01T00:00:00Z\"");
            case AttributeType.Binary when op is FilterOperator.Gt or FilterOperator.Ge or FilterOperator.Lt or FilterOperator.Le:
                throw InvalidOperator(op, "binary", path);
            default:
                if (literal is bool flag && _booleansAsText)
                    return flag ? "true" : "false";
                return literal as string ?? throw InvalidValue(path, "string", "a JSON string in double quotes");
        }
    }

    /// <summary>A string, a boolean, or a number (kept as its text: no attribute of the model is numeric).</summary>
    private object Literal(FilterToken token)
    {
        if (token.Kind == FilterTokenKind.String)
            return token.Text;
        if (token.IsWord("true"))
            return true;
        if (token.IsWord("false"))
            return false;
        if (NumberPattern().IsMatch(token.Text))
            return new FilterNumber(token.Text);
        throw Malformed($"'{token.Text}' at position {token.Position + 1} is not a value: write a JSON string in double quotes, true, false, null or a number");
    }

    private sealed record FilterNumber(string Text);

    private static DateTimeOffset? DateTime(string text) =>
        DateTimePattern().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : null;

    private static FilterOperator Operator(string text) => text.ToLowerInvariant() switch
    {
        "eq" => FilterOperator.Eq,
        "ne" => FilterOperator.Ne,
        "co" => FilterOperator.Co,
        "sw" => FilterOperator.Sw,
        "ew" => FilterOperator.Ew,
        "gt" => FilterOperator.Gt,
        "ge" => FilterOperator.Ge,
        "lt" => FilterOperator.Lt,
        "le" => FilterOperator.Le,
        "pr" => FilterOperator.Pr,
        _ => throw new FilterException(FilterErrorKind.UnknownOperator,
            $"'{text}' is not a filter operator; the operators are eq, ne, co, sw, ew, gt, ge, lt, le and pr.", text),
    };

    private FilterToken? Peek() => _next < _tokens.Count ? _tokens[_next] : null;

    private FilterToken Take(string expected) =>
        _next < _tokens.Count ? _tokens[_next++] : throw Malformed($"{expected} is expected at its end");

    private void Expect(FilterTokenKind kind, string expected)
    {
        var token = Take(expected);
        if (token.Kind != kind)
            throw Malformed($"{expected} is expected at position {token.Position + 1}, not '{token.Text}'");
    }

    private FilterException Malformed(string why) => new(FilterErrorKind.Malformed, $"The filter '{_filter}' is malformed: {why}.");

    private FilterException UnknownAttribute(string path) =>
        new(FilterErrorKind.UnknownAttribute, $"'{path}' is not an attribute of a {_scope.ResourceType}.", path);

    private static FilterException InvalidValue(string path, string type, string expected) =>
        new(FilterErrorKind.InvalidValue, $"'{path}' is a {type} attribute; compare it with {expected}.", path);

    private static FilterException InvalidOperator(FilterOperator op, string type, string path) =>
        new(FilterErrorKind.InvalidOperator, $"'{op.ToString().ToLowerInvariant()}' does not apply to the {type} attribute '{path}'.", op.ToString().ToLowerInvariant());

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|z|[+-][0-9]{2}:[0-9]{2})?$")]
    private static partial Regex DateTimePattern();
}
