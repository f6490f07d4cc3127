using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>A stand-in for the operator's webhook on 127.0.0.1 that can be switched off.</summary>
public sealed class WebhookReceiver : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly Arrivals _arrivals = new();

    public ConcurrentQueue<JsonObject> Received { get; } = new();

    public bool Up { get; set; } = true;

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpRequest request) =>
        {
            if (!Up)
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            Received.Enqueue((JsonObject)(await JsonNode.ParseAsync(request.Body))!);
            _arrivals.Notify();
            return Results.Ok();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.TrimEnd('/') + "/hook";
    }

    /// <summary>Completes once <paramref name="count"/> of the notifications received so far are <paramref name="which"/>; fails after <paramref name="patience"/>.</summary>
    public Task WaitForAsync(Func<JsonObject, bool> which, int count, TimeSpan patience) =>
        _arrivals.WaitUntilAsync(() => Received.Count(which) >= count, patience,
            () => $"The webhook received {Received.Count(which)} of {count} notifications in {patience.TotalSeconds} s.");

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
