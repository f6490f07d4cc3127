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
            return Results.Ok();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.TrimEnd('/') + "/hook";
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
