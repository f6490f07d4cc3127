using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Webhooks;

namespace IdentityDirectory.Tests.Admin;

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
