using System.Collections.Immutable;
using System.Text;
using CsCheck;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// Mutations of a valid JSON body, each a class of what identity providers and attackers send: a value of
/// another type, deeper nesting, a key twice (or twice in another case), a string with a broken escape, an
/// unknown or a missing key, a <c>schemas</c> that is not an array of URIs, a string too long or a body over
/// 1 MiB, and bytes that are no longer JSON or UTF-8. Zero mutations leave the body valid.
/// </summary>
public static class BodyMutations
{
    /// <summary>Escaped string contents, valid or not: surrogate halves, bad escapes, controls, odd Unicode.</summary>
    public static readonly Gen<string> OddText = Gen.OneOf(
        "\\ud800", "a\\udc00b", "\\udc00\\ud800", "\\ud800\\u0041", "\\ud83d\\ude00", "😀", "\\u0000", "\\u001f",
        "\\u00", "\\x41", "\\uZZZZ", "\\", "\u0001", "\t", "\\t\\n", "\u202e", "\u200b", "\u00a0", " ", "", "%00", "../..",
        "<script>", "' OR 1=1 --", "\\\"", "é", "e\u0301", "\uFFFF", "\\uFFFE", "🇫🇷");

    public static readonly Gen<FuzzJson> AnyValue = Gen.OneOf<FuzzJson>(
        Gen.OneOf("0", "-1", "1.5", "1e400", "-0", "12345678901234567890123", "true", "false", "null", "{}", "[]", "[null]", "[[]]",
            "{\"value\":\"x\"}", "[{\"value\":\"x\"}]", "\"\"").Select(text => (FuzzJson)new FuzzLiteral(text)),
        OddText.Select(text => (FuzzJson)new FuzzString(text)),
        Gen.String[Gen.Char[' ', '~'], 0, 40].Select(text => (FuzzJson)FuzzString.Of(text)));

    private static readonly Gen<FuzzJson> OddSchemas = Gen.OneOf(
        "true", "{}", "[null]", "[]", "null", "[1]", "\"urn:ietf:params:scim:schemas:core:2.0:User\"", "[\"urn:nope\"]",
        "[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]", "[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]",
        "[\"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER\"]", "[{\"uri\":\"x\"}]", "[[\"urn:nope\"]]")
        .Select(text => (FuzzJson)new FuzzLiteral(text));

    private static readonly Gen<string> OddKeys = Gen.OneOf("zzz", "Schemas", "SCHEMAS", "id", "meta", "", " ", "\\ud800", "a.b", "urn:x:y",
        "userName ", "$ref", "__proto__", "members", "Operations", "operations");

    /// <summary>A body: the template, mutated 0–3 times as a tree, then sometimes broken as bytes.</summary>
    public static Gen<byte[]> Body(FuzzJson template) =>
        from count in FuzzGen.Weighted((5, Gen.Const(0)), (6, Gen.Const(1)), (3, Gen.Const(2)), (1, Gen.Const(3)))
        from tree in Mutated(template, count)
        from bytes in FuzzGen.Weighted((10, Gen.Const(Encoding.UTF8.GetBytes(tree.ToString()))), (2, Broken(Encoding.UTF8.GetBytes(tree.ToString()))))
        select bytes;

    private static Gen<FuzzJson> Mutated(FuzzJson tree, int count) =>
        count == 0 ? Gen.Const(tree) : Once(tree).SelectMany(next => Mutated(next, count - 1));

    private static Gen<FuzzJson> Once(FuzzJson root)
    {
        var nodes = root.Count();
        var at = Gen.Int[0, nodes - 1];
        return FuzzGen.Weighted(
            (4, from position in at from value in AnyValue select root.Replace(position, _ => value)),
            (2, from position in at from depth in Gen.Int[1, 40] from inArray in Gen.Bool select root.Replace(position, node => Nested(node, depth, inArray))),
            (4, from position in at from pick in Gen.Int[0, 1000] from otherCase in Gen.Bool select root.Replace(position, node => WithRepeatedKey(node, pick, otherCase))),
            (4, from position in at from text in OddText from wrap in Gen.Bool select root.Replace(position, node =>
                node is FuzzString s ? new FuzzString(wrap ? s.Escaped + text : text) : node)),
            (2, from position in at from key in OddKeys from value in AnyValue select root.Replace(position, node => WithKey(node, key, value))),
            (2, from position in at from pick in Gen.Int[0, 1000] select root.Replace(position, node => WithoutKey(node, pick))),
            (3, from schemas in OddSchemas select WithKey(root, "schemas", schemas, replace: true)),
            (1, from position in at from length in Gen.OneOf(300, 1025, 70_000, 1_100_000) select root.Replace(position, node =>
                node is FuzzString ? new FuzzString(new string('x', length)) : node)));
    }

    private static FuzzJson Nested(FuzzJson node, int depth, bool inArray)
    {
        for (var i = 0; i < depth; i++)
            node = inArray ? new FuzzArray([node]) : new FuzzObject([("a", node)]);
        return node;
    }

    private static FuzzJson WithRepeatedKey(FuzzJson node, int pick, bool otherCase)
    {
        if (node is not FuzzObject { Properties.Count: > 0 } obj)
            return node;
        var (key, value) = obj.Properties[pick % obj.Properties.Count];
        var repeated = otherCase ? (key.ToUpperInvariant() == key ? key.ToLowerInvariant() : key.ToUpperInvariant()) : key;
        return new FuzzObject(obj.Properties.Add((repeated, value)));
    }

    private static FuzzJson WithKey(FuzzJson node, string key, FuzzJson value, bool replace = false)
    {
        if (node is not FuzzObject obj)
            return node;
        var properties = replace ? obj.Properties.RemoveAll(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase)) : obj.Properties;
        return new FuzzObject(properties.Insert(0, (key, value)));
    }

    private static FuzzJson WithoutKey(FuzzJson node, int pick) =>
        node is FuzzObject { Properties.Count: > 0 } obj ? new FuzzObject(obj.Properties.RemoveAt(pick % obj.Properties.Count)) : node;

    /// <summary>Bytes that are no longer the JSON they were: cut, with a stray byte, a BOM, trailing garbage, or replaced.</summary>
    private static Gen<byte[]> Broken(byte[] json) => FuzzGen.Weighted(
        (3, from cut in Gen.Int[0, Math.Max(0, json.Length - 1)] select json[..cut]),
        (3, from position in Gen.Int[0, json.Length] from stray in Gen.OneOf<byte>(0x00, 0xff, 0x80, 0xc3, 0xed, (byte)'{', (byte)'"', (byte)',', (byte)'\\')
            select json[..position].Append(stray).Concat(json[position..]).ToArray()),
        (1, Gen.Const<byte[]>([0xef, 0xbb, 0xbf, .. json])),
        (1, Gen.Const<byte[]>([.. json, .. " x"u8])),
        (2, Gen.OneOf("", "null", "[]", "\"x\"", "42", "{", "}", "userName=x", "{\"a\":1}{\"b\":2}", "{/*c*/}", "{'a':'b'}")
            .Select(text => Encoding.UTF8.GetBytes(text))));
}
