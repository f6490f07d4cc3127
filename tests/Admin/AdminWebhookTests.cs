using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Tests.Admin;

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

public sealed class WebhookGatewayFixture : GatewayFixture
{
    public WebhookReceiver Receiver { get; } = new();

    public override async Task InitializeAsync()
    {
        await Receiver.InitializeAsync();
        Settings["Operator:WebhookUrl"] = Receiver.Url;
        await base.InitializeAsync();
    }
}

public sealed class AdminWebhookTests(WebhookGatewayFixture fixture) : IClassFixture<WebhookGatewayFixture>
{
    // Rule T-8: events are pushed to the operator webhook; a webhook that is down loses no event,
    // and none is delivered twice.
    [Fact]
    public async Task ExpiryEventsReachTheWebhookOnceEachEvenAfterItWasDown()
    {
        var tenant = await fixture.CreateTenantAsync();
        var tokenId = tenant.Token[..tenant.Token.IndexOf('.')];
        var token = fixture.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenant.TenantId, tokenId));
        var webhook = fixture.Grains.GetGrain<IWebhookGrain>(IWebhookGrain.Key);

        fixture.Receiver.Up = false;
        fixture.Time.Advance(TimeSpan.FromDays(365 - 76)); // 76 days left: weekly 90, 83, 76 are due
        await token.EmitDueNotificationsAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => webhook.DeliverAsync());

        fixture.Receiver.Up = true;
        await webhook.DeliverAsync();
        await webhook.DeliverAsync();

        var mine = fixture.Receiver.Received.Where(e => e["tenantId"]!.GetValue<string>() == tenant.TenantId).ToList();
        Assert.Equal([90, 83, 76], mine.Select(e => e["detail"]!["daysRemaining"]!.GetValue<int>()));
        Assert.All(mine, e => Assert.Equal(TokenGrain.ExpiryEventType, e["type"]!.GetValue<string>()));
        Assert.DoesNotContain(mine, e => e.ToJsonString().Contains(tenant.Token[(tokenId.Length + 1)..]));
    }
}
