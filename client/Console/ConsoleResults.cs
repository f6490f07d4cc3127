using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console;

internal static class ConsoleResults
{
    /// <summary>A short page outside the layout, for answers that have no page of their own (an unknown tenant, a forged form).</summary>
    public static ContentResult Message(int status, string title, string text) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} - Operator console</title><link rel="stylesheet" href="{OperatorConsole.Root}/assets/console.css"></head>
            <body><main id="main"><h1>{WebUtility.HtmlEncode(title)}</h1><p role="alert">{WebUtility.HtmlEncode(text)}</p>
            <p><a href="{OperatorConsole.Root}/tenants">Back to the tenants</a></p></main></body></html>
            """,
    };
}
