using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Cli;

/// <summary>Readable tables for people, the raw JSON for scripts (<c>--json</c>).</summary>
public static class Output
{
    public static void Write(JsonNode? value, bool json, params (string Header, string Path)[] columns) =>
        Write(value is JsonArray items ? items : new JsonArray(value?.DeepClone()), json, value, columns);

    public static void Write(JsonArray rows, bool json, JsonNode? whole, params (string Header, string Path)[] columns)
    {
        if (json)
        {
            Console.WriteLine(whole?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null");
            return;
        }
        var cells = rows.Select(row => columns.Select(c => Text(Find(row, c.Path))).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        Console.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        if (cells.Count == 0)
            Console.WriteLine("(none)");
    }

    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
            node = node?[part];
        return node;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "-",
        JsonArray array => string.Join(",", array.Select(Text)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
