using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Console;

/// <summary>The console's style sheet and script, embedded in the gateway so that it needs no static-file setup.</summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Assets = new()
    {
        ["console.css"] = (Read("console.css"), "text/css; charset=utf-8"),
        ["console.js"] = (Read("console.js"), "text/javascript; charset=utf-8"),
    };

    public static IResult Serve(string name, HttpResponse response)
    {
        if (!Assets.TryGetValue(name, out var asset))
            return Results.NotFound();
        response.Headers.CacheControl = "public, max-age=3600";
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Content, asset.Type);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream($"console/{name}")
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
