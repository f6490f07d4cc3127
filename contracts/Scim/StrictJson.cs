using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace IdentityDirectory.Scim;

/// <summary>
/// The one check every JSON request body passes, SCIM and admin alike, before anything reads a value
/// from it. System.Text.Json parses some documents that it then refuses to hand out: a duplicate key
/// of a nested object fails when the object is first enumerated, a lone or reversed surrogate escape
/// (<c>"\ud800"</c>) when the string is read or written. Finding those deep inside a grain makes a 500
/// of a client's mistake, so this walk reads every key and every escaped string once, up front, and
/// refuses with 400 invalidSyntax: invalid UTF-8, malformed JSON, nesting deeper than
/// <see cref="MaxDepth"/>, a key that repeats within one object (compared case-insensitively, since
/// SCIM attribute names are, R-META-5), and an escape that is not a whole Unicode character.
/// </summary>
public static class StrictJson
{
    /// <summary>Far deeper than any SCIM or admin body (a PATCH value of members is five levels).</summary>
    public const int MaxDepth = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };
    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a body that must be one JSON object; its keys are looked up case-insensitively.</summary>
    public static JsonObject ParseObject(string body)
    {
        byte[] utf8;
        try
        {
            utf8 = Utf8Strict.GetBytes(body);
        }
        catch (EncoderFallbackException)
        {
            throw Refused("The body holds text that is not Unicode.");
        }
        Validate(utf8);
        return JsonNode.Parse(utf8, CaseInsensitive, DocumentOptions) as JsonObject ?? throw Refused("The body must be a JSON object.");
    }

    /// <summary>Refuses, with 400 invalidSyntax naming what and where, a body that is not one well-formed JSON value.</summary>
    public static void Validate(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
            throw Refused("The body is not valid UTF-8.");
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        Scope? scope = null;
        try
        {
            if (!reader.Read())
                throw Refused("The body is empty.");
            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        scope = new Scope(scope, reader.TokenType == JsonTokenType.StartObject);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scope = scope!.Parent;
                        scope?.Next();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader, scope);
                        if (!scope!.Keys!.Add(name))
                            throw Refused($"The key '{name}' appears twice in {Where(scope.Parent)} (keys are compared case-insensitively).");
                        scope.Key = name;
                        break;
                    default:
                        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped) // unescaped text is valid UTF-8 already
                            Text(ref reader, scope);
                        scope?.Next();
                        break;
                }
            }
            while (reader.Read());
        }
        catch (JsonException e)
        {
            throw Refused(e.Message);
        }
    }

    /// <summary>A string's text; an escape that is not a whole character (a lone or reversed surrogate) is refused.</summary>
    private static string Text(ref Utf8JsonReader reader, Scope? scope)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Refused($"A string in {Where(scope)} holds an escape that is not a Unicode character (a lone or reversed surrogate).");
        }
    }

    private static string Where(Scope? scope) => scope?.Path() is { Length: > 0 } path ? $"'{path}'" : "the body";

    private static ScimException Refused(string why) => ScimException.InvalidSyntax($"{ScimException.GeneralBadRequest} {why}");

    /// <summary>An open object (with the keys seen so far) or array (with the index of its current element).</summary>
    private sealed class Scope(Scope? parent, bool isObject)
    {
        private int _index;

        public Scope? Parent { get; } = parent;
        public HashSet<string>? Keys { get; } = isObject ? new(StringComparer.OrdinalIgnoreCase) : null;
        public string? Key { get; set; }

        public void Next()
        {
            if (Keys is null)
                _index++;
        }

        /// <summary>Where the current key or element is, as <c>name.familyName</c> or <c>Operations[0].path</c>; built only for a refusal.</summary>
        public string Path()
        {
            var here = Keys is not null ? Key ?? "" : $"[{_index}]";
            var above = Parent?.Path() ?? "";
            return above.Length == 0 || here.StartsWith('[') ? above + here : $"{above}.{here}";
        }
    }
}
