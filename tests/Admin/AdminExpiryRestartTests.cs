using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tokens;

namespace IdentityDirectory.Tests.Admin;

public sealed class AdminExpiryRestartTests
{
    // Rules T-8, O-6: notifications come from stored instants, so a restart of the silo in the middle
    // of the year neither loses nor repeats one.
    [Fact]
    public async Task ARestartMidYearNeitherLosesNorRepeatsANotification()
    {
        var directory = TestDirectories.New();
        string tenantId, tokenId, operatorKey;
        DateTimeOffset expiresAt, stoppedAt;
        await using (var first = new ProductOnDirectory(directory, ownsDirectory: false))
        {
            await first.InitializeAsync();
            operatorKey = await first.OperatorKeyAsync();
            var tenant = await first.CreateTenantAsync();
            (tenantId, tokenId) = (tenant.TenantId, tenant.Token[..tenant.Token.IndexOf('.')]);
            expiresAt = first.Time.GetUtcNow() + TokenGrain.Lifetime;
            first.Time.Advance(TimeSpan.FromDays(300)); // 65 days left: 90, 83, 76, 69 are due
            await first.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId)).EmitDueNotificationsAsync();
            stoppedAt = first.Time.GetUtcNow();
        }

        await using var second = new ProductOnDirectory(directory, ownsDirectory: true);
        await second.InitializeAsync();
        second.Time.SetUtcNow(stoppedAt + TimeSpan.FromDays(30)); // 35 days left
        var token = second.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));
        await token.EmitDueNotificationsAsync();
        await token.EmitDueNotificationsAsync();

        using var admin = second.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", operatorKey);
        var events = (await admin.GetFromJsonAsync<JsonObject>($"admin/tenants/{tenantId}/events?count=1000"))!["events"]!.AsArray();
        var expected = ExpirySchedule.Notifications(expiresAt).Where(at => at <= second.Time.GetUtcNow()).ToList();
        Assert.Equal(13, expected.Count); // weekly 90, 83, 76, 69, 62; twice weekly 60, 56.5, … 35.5
        Assert.Equal(expected, events.Select(e => DateTimeOffset.Parse(e!["at"]!.GetValue<string>())).ToList());
    }
}
