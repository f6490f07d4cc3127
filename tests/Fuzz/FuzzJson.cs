using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// JSON text as a tree that can hold what JSON libraries refuse to build: a key twice in one object, a
/// string with any escape written as is (<c>\ud800</c>), any literal. Generators mutate these trees;
/// <see cref="Write"/> gives the exact text sent.
/// </summary>
public abstract record FuzzJson
{
    public abstract void Write(StringBuilder text);

    public sealed override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    public static FuzzJson From(JsonNode? node) => node switch
    {
        null => new FuzzLiteral("null"),
        JsonObject obj => new FuzzObject(obj.Select(p => (FuzzString.Escape(p.Key), From(p.Value))).ToImmutableList()),
        JsonArray array => new FuzzArray(array.Select(From).ToImmutableList()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => FuzzString.Of(value.GetValue<string>()),
        _ => new FuzzLiteral(node.ToJsonString()),
    };

    /// <summary>Nodes in pre-order, the root first.</summary>
    public int Count() => this switch
    {
        FuzzObject obj => 1 + obj.Properties.Sum(p => p.Value.Count()),
        FuzzArray array => 1 + array.Items.Sum(i => i.Count()),
        _ => 1,
    };

    /// <summary>The tree with the node at pre-order position <paramref name="at"/> replaced by <paramref name="change"/> of it.</summary>
    public FuzzJson Replace(int at, Func<FuzzJson, FuzzJson> change)
    {
        var position = at;
        return Replace(ref position, change);
    }

    private FuzzJson Replace(ref int position, Func<FuzzJson, FuzzJson> change)
    {
        if (position-- == 0)
            return change(this);
        switch (this)
        {
            case FuzzObject obj:
                var properties = obj.Properties;
                for (var i = 0; i < properties.Count && position >= 0; i++)
                {
                    var size = properties[i].Value.Count();
                    if (position < size)
                        return new FuzzObject(properties.SetItem(i, (properties[i].Key, properties[i].Value.Replace(ref position, change))));
                    position -= size;
                }
                return this;
            case FuzzArray array:
                var items = array.Items;
                for (var i = 0; i < items.Count && position >= 0; i++)
                {
                    var size = items[i].Count();
                    if (position < size)
                        return new FuzzArray(items.SetItem(i, items[i].Replace(ref position, change)));
                    position -= size;
                }
                return this;
            default:
                return this;
        }
    }
}

/// <summary>An object whose keys are written between their quotes exactly as given, and may repeat.</summary>
public sealed record FuzzObject(ImmutableList<(string Key, FuzzJson Value)> Properties) : FuzzJson
{
    public override void Write(StringBuilder text)
    {
        text.Append('{');
        for (var i = 0; i < Properties.Count; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append('"').Append(Properties[i].Key).Append("\":");
            Properties[i].Value.Write(text);
        }
        text.Append('}');
    }
}

public sealed record FuzzArray(ImmutableList<FuzzJson> Items) : FuzzJson
{
    public override void Write(StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
                text.Append(',');
            Items[i].Write(text);
        }
        text.Append(']');
    }
}

/// <summary>A string whose content is written between the quotes exactly as given, escapes included.</summary>
public sealed record FuzzString(string Escaped) : FuzzJson
{
    public static FuzzString Of(string text) => new(Escape(text));

    public static string Escape(string text) => JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    public override void Write(StringBuilder text) => text.Append('"').Append(Escaped).Append('"');
}

/// <summary>A number, <c>true</c>, <c>false</c>, <c>null</c>, or any other text written as is.</summary>
public sealed record FuzzLiteral(string Text) : FuzzJson
{
    public override void Write(StringBuilder text) => text.Append(Text);
}
