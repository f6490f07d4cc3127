using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Grains;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;
using IdentityDirectory.Webhooks;
using Orleans.TestingHost;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>
/// T-8 and O-6 in cluster mode: a token's expiry notifications are driven by its Orleans reminder, which lives on one
/// silo of three on PostgreSQL. That silo is killed, with the token's activation, midway through the token's year
/// (fake clock), and every notification is still emitted and delivered to the operator's webhook (a real HTTP
/// listener) once, in order, with its scheduled instant.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ExpiryReminderFailoverTests(PostgresClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryExpiryNotificationReachesTheWebhookOnceWhenTheSiloRunningItsReminderDies()
    {
        var (tenantId, token, silo) = await TokenOnTheSiloThatOwnsItsReminderAsync();
        var expiresAt = (await token.DescribeAsync())!.ExpiresAt;
        var schedule = ExpirySchedule.Notifications(expiresAt).ToList();

        // Rule T-8: the weekly band and the first of the twice-weekly one, from the reminder on the silo about to die.
        fixture.Time.SetUtcNow(expiresAt - TimeSpan.FromDays(60));
        await DeliveredAsync(tenantId, schedule.Count(at => at <= fixture.Time.GetUtcNow()));
        var survivor = fixture.GrainsOfASiloOtherThan(silo);
        var webhook = survivor.GetGrain<IWebhookGrain>(IWebhookGrain.Key);
        // Every delivery so far is marked: the webhook grain is not between a POST and its mark when the silo dies.
        Assert.Equal(0, await webhook.DeliverAsync());

        await fixture.Cluster.KillSiloAsync(silo);
        // Rule O-6: what came due while the reminder's silo was dying is emitted by the silo that takes the reminder over.
        fixture.Time.SetUtcNow(expiresAt - TimeSpan.FromDays(15));
        await DeliveredAsync(tenantId, schedule.Count(at => at <= fixture.Time.GetUtcNow()));
        fixture.Time.SetUtcNow(expiresAt + TimeSpan.FromDays(1));
        await DeliveredAsync(tenantId, schedule.Count);

        // Nothing is left to emit or to deliver, so no notification can come a second time.
        await survivor.GetGrain<ITokenGrain>(token.GetPrimaryKeyString()).EmitDueNotificationsAsync();
        Assert.Equal(0, await webhook.DeliverAsync());
        var delivered = Delivered(tenantId);
        Assert.Equal(schedule, delivered.Select(notification => notification["at"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(delivered.Count, delivered.Select(notification => notification["sequence"]!.GetValue<long>()).Distinct().Count());
        Assert.All(delivered, notification => Assert.Equal(TokenGrain.ExpiryEventType, notification["type"]!.GetValue<string>()));
        Assert.Equal(schedule.Count, (await survivor.GetGrain<IDirectoryGrain>(tenantId).ListEventsAsync(0, 100)).Count);
        await fixture.Cluster.StartAdditionalSiloAsync();
    }

    /// <summary>
    /// A provisioned tenant's token whose activation and reminder are on one silo, so that silo's death takes both: a
    /// token that lands elsewhere is deleted (T-6) and another one generated.
    /// </summary>
    private async Task<(string TenantId, ITokenGrain Token, SiloHandle Silo)> TokenOnTheSiloThatOwnsItsReminderAsync()
    {
        var (tenantId, grant) = await fixture.Grains.CreateProvisionedTenantAsync();
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(tenantId);
        var secret = grant.Token;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            Assert.True(ScimToken.TryParse(secret, out var tokenId, out _));
            var token = fixture.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));
            await token.DescribeAsync();
            var silo = fixture.HostOf(token);
            if (fixture.ReminderSiloOf(token) == silo)
                return (tenantId, token, silo);
            await directory.DeleteTokenAsync(tokenId);
            secret = await directory.CreateTokenAsync();
        }
        throw new InvalidOperationException("No token landed on the silo that owns its reminder in 30 tries.");
    }

    private static Func<JsonObject, bool> OfTenant(string tenantId) => notification => notification["tenantId"]!.GetValue<string>() == tenantId;

    private List<JsonObject> Delivered(string tenantId) => [.. fixture.Webhook.Received.Where(OfTenant(tenantId))];

    /// <summary>Waits until the webhook has received <paramref name="count"/> of the tenant's notifications; in real time, as reminders tick in real time.</summary>
    private Task DeliveredAsync(string tenantId, int count) =>
        fixture.Webhook.WaitForAsync(OfTenant(tenantId), count, Patience);
}
