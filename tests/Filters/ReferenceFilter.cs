using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Tests.Filters;

public enum ReferenceType { String, Boolean, DateTime, Complex }

/// <summary>An attribute as the reference knows it, written down here from the rules rather than taken from the product's model.</summary>
public sealed record ReferenceAttribute(string Name, string? Sub, ReferenceType Type, bool CaseExact = false, bool MultiValued = false, bool Enterprise = false)
{
    public string Path => (Sub is null ? Name : $"{Name}.{Sub}");
}

/// <summary>A filter as the test generates it; rendered to text for the product, evaluated here for the expected answer.</summary>
public abstract record ReferenceFilter;

public sealed record ReferenceAnd(ReferenceFilter Left, ReferenceFilter Right) : ReferenceFilter;

public sealed record ReferenceOr(ReferenceFilter Left, ReferenceFilter Right) : ReferenceFilter;

public sealed record ReferenceNot(ReferenceFilter Operand) : ReferenceFilter;

public sealed record ReferenceParentheses(ReferenceFilter Inner) : ReferenceFilter;

/// <summary><c>Op</c> is one of eq ne co sw ew gt ge lt le pr; <c>Value</c> a string, bool, DateTimeOffset or null.</summary>
public sealed record ReferenceComparison(ReferenceAttribute Attribute, string Op, object? Value) : ReferenceFilter;

/// <summary><c>attr[inner]</c> or <c>attr[inner].sub op value</c>; the inner comparisons name sub-attributes of <c>Attribute</c>.</summary>
public sealed record ReferenceValuePath(ReferenceAttribute Attribute, ReferenceFilter Inner, ReferenceComparison? Tail) : ReferenceFilter;

/// <summary>
/// The rules of R-FLT-1..3 and R-LST-5 as plainly as they can be written, over the generated data:
/// a comparison holds when it holds for any assigned value; strings compare after ToLowerInvariant
/// unless the attribute is caseExact, and order by code point; an unassigned value ("", null, none)
/// satisfies only <c>eq null</c> and <c>not (…)</c>.
/// </summary>
public static class ReferenceEvaluator
{
    public static bool Matches(ReferenceFilter filter, FilterResource resource, bool isUser) => filter switch
    {
        ReferenceAnd all => Matches(all.Left, resource, isUser) && Matches(all.Right, resource, isUser),
        ReferenceOr any => Matches(any.Left, resource, isUser) || Matches(any.Right, resource, isUser),
        ReferenceNot inverse => !Matches(inverse.Operand, resource, isUser),
        ReferenceParentheses inner => Matches(inner.Inner, resource, isUser),
        ReferenceComparison comparison => Holds(comparison, Values(resource, comparison.Attribute, isUser)),
        ReferenceValuePath path => Elements(resource, path.Attribute, isUser).Any(element =>
            MatchesElement(path.Inner, element) && (path.Tail is null || MatchesElement(path.Tail, element))),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static bool MatchesElement(ReferenceFilter filter, JsonObject element) => filter switch
    {
        ReferenceAnd all => MatchesElement(all.Left, element) && MatchesElement(all.Right, element),
        ReferenceOr any => MatchesElement(any.Left, element) || MatchesElement(any.Right, element),
        ReferenceNot inverse => !MatchesElement(inverse.Operand, element),
        ReferenceParentheses inner => MatchesElement(inner.Inner, element),
        ReferenceComparison comparison => Holds(comparison, Assigned([element[comparison.Attribute.Sub!]])),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static bool Holds(ReferenceComparison comparison, List<object> values) => comparison switch
    {
        { Op: "pr" } => values.Count > 0,
        { Op: "eq", Value: null } => values.Count == 0,
        { Op: "ne", Value: null } => values.Count > 0,
        _ => values.Any(value => Test(value, comparison)),
    };

    private static bool Test(object value, ReferenceComparison comparison)
    {
        var order = comparison.Value switch
        {
            bool flag => ((bool)value).CompareTo(flag),
            DateTimeOffset instant => ((DateTimeOffset)value).CompareTo(instant),
            string text => CodePointOrder(Cased((string)value, comparison.Attribute), Cased(text, comparison.Attribute)),
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
        var (left, right) = comparison.Value is string literal
            ? (Cased((string)value, comparison.Attribute), Cased(literal, comparison.Attribute))
            : ("", "");
        return comparison.Op switch
        {
            "eq" => order == 0,
            "ne" => order != 0,
            "co" => left.Contains(right, StringComparison.Ordinal),
            "sw" => left.StartsWith(right, StringComparison.Ordinal),
            "ew" => left.EndsWith(right, StringComparison.Ordinal),
            "gt" => order > 0,
            "ge" => order >= 0,
            "lt" => order < 0,
            "le" => order <= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
    }

    private static string Cased(string value, ReferenceAttribute attribute) => attribute.CaseExact ? value : value.ToLowerInvariant();

    /// <summary>Code point order: the order of the UTF-8 bytes.</summary>
    public static int CodePointOrder(string left, string right) =>
        Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right));

    /// <summary>The assigned values of an attribute of a resource: strings, booleans, instants, or complex values.</summary>
    public static List<object> Values(FilterResource resource, ReferenceAttribute attribute, bool isUser)
    {
        switch (attribute.Name)
        {
            case "id":
                return [resource.Id];
            case "meta":
                return attribute.Sub switch
                {
                    "created" => [resource.Created],
                    "lastModified" => [resource.LastModified],
                    "resourceType" => [isUser ? "User" : "Group"],
                    _ => ["meta"],
                };
            case "groups" or "members":
                return [.. resource.Related];
        }
        if (attribute.MultiValued)
        {
            var elements = Elements(resource, attribute, isUser);
            return attribute.Sub is null ? [.. elements] : Assigned(elements.Select(e => e[attribute.Sub]));
        }
        var container = attribute.Enterprise ? resource.Attributes[FilterDirectory.Enterprise] as JsonObject : resource.Attributes;
        var node = container?[attribute.Name];
        return Assigned([attribute.Sub is null ? node : node?[attribute.Sub]]);
    }

    public static List<JsonObject> Elements(FilterResource resource, ReferenceAttribute attribute, bool isUser)
    {
        if (attribute.Name is "groups" or "members")
            return [.. resource.Related.Select(id => new JsonObject { ["value"] = id })];
        return [.. (resource.Attributes[attribute.Name] as JsonArray ?? []).OfType<JsonObject>()];
    }

    private static List<object> Assigned(IEnumerable<JsonNode?> nodes)
    {
        var values = new List<object>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0:
                    values.Add(value.GetValue<string>());
                    break;
                case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    values.Add(value.GetValue<bool>());
                    break;
                case JsonObject { Count: > 0 } complex:
                    values.Add(complex);
                    break;
            }
        }
        return values;
    }

    /// <summary>
    /// The order of R-LST-5: by the attribute (a multi-valued one by its primary value, else its first),
    /// unassigned last; then by creation, so ties keep a stable order; descending is the exact reverse.
    /// </summary>
    public static List<FilterResource> Sort(List<FilterResource> resources, ReferenceAttribute attribute, bool descending, bool isUser)
    {
        var keyed = resources.Select((resource, index) => (resource, index, key: SortKey(resource, attribute, isUser))).ToList();
        keyed.Sort((a, b) =>
        {
            if (a.key is null != b.key is null)
                return a.key is null ? 1 : -1;
            var order = a.key switch
            {
                null => 0,
                string text => CodePointOrder(text, (string)b.key!),
                bool flag => flag.CompareTo((bool)b.key!),
                DateTimeOffset instant => instant.CompareTo((DateTimeOffset)b.key!),
                _ => 0,
            };
            return order != 0 ? order : a.index.CompareTo(b.index);
        });
        if (descending)
            keyed.Reverse();
        return [.. keyed.Select(k => k.resource)];
    }

    private static object? SortKey(FilterResource resource, ReferenceAttribute attribute, bool isUser)
    {
        object? key;
        if (attribute.MultiValued)
        {
            var elements = Elements(resource, attribute, isUser);
            var chosen = elements.FirstOrDefault(e => e["primary"] is JsonValue p && p.GetValueKind() == JsonValueKind.True) ?? elements.FirstOrDefault();
            key = chosen is null ? null : Assigned([chosen[attribute.Sub!]]).FirstOrDefault();
        }
        else
        {
            key = Values(resource, attribute, isUser).FirstOrDefault();
        }
        return key is string text ? Cased(text, attribute) : key;
    }
}

/// <summary>Writes a <see cref="ReferenceFilter"/> as a client might: any case, qualified or not, escaped or not.</summary>
public sealed class FilterWriter(int seed)
{
    private const string Core = "urn:ietf:params:scim:schemas:core:2.0:User:";
    private readonly Random _random = new(seed);
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="element">inside a value path, where attributes are named by their sub-attribute alone.</param>
    public string Write(ReferenceFilter filter, bool isUser, bool element = false) => filter switch
    {
        ReferenceAnd all => $"{Operand(all.Left, isUser, element, all: true)}{Space()}{Cased("and")}{Space()}{Operand(all.Right, isUser, element, all: true)}",
        ReferenceOr any => $"{Operand(any.Left, isUser, element, all: false)}{Space()}{Cased("or")}{Space()}{Operand(any.Right, isUser, element, all: false)}",
        ReferenceNot inverse => $"{Cased("not")}{(_random.Next(3) == 0 ? "" : " ")}({Write(inverse.Operand, isUser, element)})",
        ReferenceParentheses inner => $"({Write(inner.Inner, isUser, element)})",
        ReferenceComparison comparison => Comparison(comparison,
            element ? Cased(comparison.Attribute.Sub!) : Path(comparison.Attribute, isUser, bare: comparison.Op != "pr")),
        ReferenceValuePath path => $"{Path(path.Attribute with { Sub = null }, isUser)}[{Write(path.Inner, isUser, element: true)}]"
            + (path.Tail is null ? "" : "." + Comparison(path.Tail, Cased(path.Tail.Attribute.Sub!))),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    /// <summary>An operand of and/or: an or under an and needs its parentheses, since and binds tighter.</summary>
    private string Operand(ReferenceFilter operand, bool isUser, bool element, bool all) =>
        all && operand is ReferenceOr ? $"({Write(operand, isUser, element)})" : Write(operand, isUser, element);

    private string Comparison(ReferenceComparison comparison, string path) =>
        comparison.Op == "pr" ? $"{path}{Space()}{Cased("pr")}" : $"{path}{Space()}{Cased(comparison.Op)}{Space()}{Literal(comparison.Value)}";

    /// <summary>The path of an attribute; inside a value path (<c>Sub</c> set, parent known) only the sub-attribute.</summary>
    /// <param name="bare">whether <c>emails.value</c> may be written <c>emails</c>, which compares by its value.</param>
    public string Path(ReferenceAttribute attribute, bool isUser, bool bare = false)
    {
        if (bare && attribute.Name is "emails" or "phoneNumbers" or "groups" or "members" && attribute.Sub == "value" && _random.Next(3) == 0)
            attribute = attribute with { Sub = null }; // a bare multi-valued attribute compares by its value
        var name = Cased(attribute.Name) + (attribute.Sub is null ? "" : "." + Cased(attribute.Sub));
        if (attribute.Enterprise)
            return attribute.Name == "manager" && _random.Next(2) == 0 || _random.Next(3) == 0 ? name : Cased(FilterDirectory.Enterprise) + ":" + name;
        return isUser && _random.Next(6) == 0 ? Cased(Core) + name : name;
    }

    public string Cased(string word) => _random.Next(4) switch
    {
        0 => word.ToUpperInvariant(),
        1 => word.ToLowerInvariant(),
        _ => word,
    };

    private string Space() => _random.Next(8) == 0 ? "  " : " ";

    private string Literal(object? value) => value switch
    {
        null => Cased("null"),
        bool flag => Cased(flag ? "true" : "false"),
        DateTimeOffset instant => _random.Next(3) switch
        {
            0 => $"\"{instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\"",
            1 => $"\"{instant.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}\"",
            _ => $"\"{instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}\"",
        },
        string text => _random.Next(2) == 0 ? JsonSerializer.Serialize(text) : JsonSerializer.Serialize(text, Relaxed),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };
}
