using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP endpoint on a real socket at 127.0.0.1: it keeps every export the
/// product posts to <c>/v1/{signal}</c> (protobuf) and answers with an empty, successful response.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _exports = new();
    private readonly Arrivals _arrivals = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.Single());

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            receiver._arrivals.Notify();
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Completes once the exports of <paramref name="signal"/> (metrics, traces) hold every text, as names and attribute values do in protobuf.</summary>
    public Task WaitForAsync(string signal, params string[] texts) =>
        _arrivals.WaitUntilAsync(() => texts.All(text => Holds(signal, text)), TimeSpan.FromSeconds(30),
            () => $"No {signal} export held {string.Join(", ", texts.Where(text => !Holds(signal, text)))}.");

    /// <summary>Whether any export so far, of any signal, holds <paramref name="text"/>.</summary>
    public bool Holds(string text) => _exports.Keys.Any(signal => Holds(signal, text));

    private bool Holds(string signal, string text) =>
        _exports.TryGetValue(signal, out var exports) && exports.Any(export => export.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
