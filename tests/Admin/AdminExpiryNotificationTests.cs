using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using IdentityDirectory.Tokens;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Tests.Admin;

/// <summary>
/// T-8 health events over a simulated year: the clock moves an hour at a time and the token grain is
/// called as its hourly Orleans reminder would call it. Own product instance: the clock moves a year.
/// </summary>
public sealed class AdminExpiryNotificationTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private const string EventType = "SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION";

    [Fact]
    public async Task SimulatedYearEmitsTheScheduledNotificationsPerBand()
    {
        // Rule T-8 / R-TOK-4: weekly while 60 < d ≤ 90, twice a week while 30 < d ≤ 60, three times a
        // week while 15 < d ≤ 30, daily while 0 < d ≤ 15.
        var (tenantId, _, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var tokenId = AdminApi.TokenId(token);
        var grain = fixture.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, tokenId));
        var created = fixture.Time.GetUtcNow();
        var expires = created.AddDays(365);
        using var recorded = new RecordedMeasurements(fixture.Services.GetRequiredService<IMeterFactory>());

        // Checkpoints: events expected once the clock has reached (expiry - days).
        var checkpoints = new Dictionary<int, int> { [91] = 0, [90] = 1, [60] = 6, [30] = 15, [15] = 22, [1] = 36, [0] = 36 };
        for (var hour = 1; hour <= 366 * 24; hour++)
        {
            fixture.Time.Advance(TimeSpan.FromHours(1));
            await grain.EmitDueNotificationsAsync();
            var left = expires - fixture.Time.GetUtcNow();
            if (left.Ticks % TimeSpan.TicksPerDay == 0 && checkpoints.TryGetValue((int)left.TotalDays, out var expected))
            {
                var soFar = await fixture.Admin.ListAllEventsAsync(tenantId);
                Assert.True(expected == soFar.Count, $"{left.TotalDays} days left: {soFar.Count} events, expected {expected}");
            }
        }

        var events = await fixture.Admin.ListAllEventsAsync(tenantId, pageSize: 7);
        Assert.All(events, e => Assert.Equal(EventType, e["type"]!.GetValue<string>()));
        var details = events.Select(e => (JsonObject)JsonNode.Parse(e["detail"]!.GetValue<string>())!).ToList();
        Assert.All(details, d => Assert.Equal(tokenId, d["tokenId"]!.GetValue<string>()));
        var days = details.Select(d => d["daysRemaining"]!.GetValue<int>()).ToList();

        Assert.Equal(5, days.Count(d => d is > 60 and <= 90));
        Assert.Equal(9, days.Count(d => d is > 30 and <= 60));
        Assert.Equal(7, days.Count(d => d is > 15 and <= 30));
        Assert.Equal(15, days.Count(d => d is > 0 and <= 15));
        Assert.Equal(36, events.Count);
        Assert.Equal(new[] { 90, 83, 76, 69, 62 }, days.Where(d => d > 60));
        Assert.Equal(Enumerable.Range(1, 15).Reverse(), days.Where(d => d <= 15));

        // Every event is counted once for the operator's metrics, with the days it announced.
        var counted = recorded.Of("identity_directory.scim_token.expiry_notifications").Where(m => m.Tag("tenant.id") == tenantId).ToList();
        Assert.All(counted, m => Assert.Equal(1, m.Value));
        Assert.Equal(days, counted.Select(m => int.Parse(m.Tag("days_remaining")!)));

        // Each event is stamped with its scheduled instant, in order, none repeated.
        var instants = events.Select(e => e["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(instants.Order(), instants);
        Assert.Equal(instants.Count, instants.Distinct().Count());
        Assert.Equal(expires.AddDays(-90), instants[0]);
        Assert.Equal(expires.AddDays(-1), instants[^1]);
        var seqs = events.Select(e => e["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Fact]
    public async Task EmittingTwiceAtTheSameInstantAddsNothing()
    {
        // Rule T-8: the reminder may fire again at the same instant (or after a restart): no duplicate events.
        var (tenantId, _, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var grain = fixture.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, AdminApi.TokenId(token)));
        var expires = fixture.Time.GetUtcNow().AddDays(365);

        fixture.Time.SetUtcNow(expires.AddDays(-90));
        await grain.EmitDueNotificationsAsync();
        Assert.Single(await fixture.Admin.ListAllEventsAsync(tenantId));
        await grain.EmitDueNotificationsAsync();
        await grain.EmitDueNotificationsAsync();
        Assert.Single(await fixture.Admin.ListAllEventsAsync(tenantId));

        // A jump over several scheduled instants emits each of them once, and repeating adds nothing.
        fixture.Time.SetUtcNow(expires.AddDays(-59));
        await grain.EmitDueNotificationsAsync();
        Assert.Equal(6, (await fixture.Admin.ListAllEventsAsync(tenantId)).Count);
        await grain.EmitDueNotificationsAsync();
        Assert.Equal(6, (await fixture.Admin.ListAllEventsAsync(tenantId)).Count);
    }

    [Fact]
    public async Task EachTokenHasADurableOrleansReminderUntilDeleted()
    {
        // Rule T-8: driven by Orleans reminders, not by polling. Rule O-6: stored, so a restart loses none.
        var (tenantId, _, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        Assert.Equal(1, ReminderRows(tenantId, t1));
        Assert.Equal(1, ReminderRows(tenantId, t2));

        await fixture.Admin.DeleteTokenAsync(tenantId, t1);

        Assert.Equal(0, ReminderRows(tenantId, t1));
        Assert.Equal(1, ReminderRows(tenantId, t2));
    }

    [Fact]
    public async Task TheTokensOwnReminderEmitsWhatIsDue()
    {
        // Rule T-8: driven by Orleans reminders, not by polling. Issuing a token registers its hourly
        // reminder; Orleans' reminder service runs on the product's clock here, so moving the clock
        // makes the service tick the reminder, and that tick alone emits the due notification.
        var (tenantId, _, token) = await fixture.Admin.CreateProvisionedTenantAsync();
        var tokenId = AdminApi.TokenId(token);
        var expires = fixture.Time.GetUtcNow().AddDays(365);
        var (name, periodMs) = Assert.Single(Reminders(tenantId, token));
        Assert.Equal("expiry-notifications", name);
        Assert.Equal((long)TimeSpan.FromHours(1).TotalMilliseconds, periodMs);

        fixture.Time.SetUtcNow(expires.AddDays(-90));

        // The tick runs after SetUtcNow returns; its effect is awaited (bounded), nothing is called in its place.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonObject> emitted;
        while ((emitted = (await fixture.Admin.ListAllEventsAsync(tenantId)).Where(e => e["subject"]!.GetValue<string>() == tokenId).ToList()).Count == 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }
        Assert.Equal(EventType, Assert.Single(emitted)["type"]!.GetValue<string>());
        Assert.Equal(expires.AddDays(-90), emitted[0]["at"]!.GetValue<DateTimeOffset>());
    }

    private long ReminderRows(string tenantId, string token) => Reminders(tenantId, token).Count;

    /// <summary>The token grain's reminders in Orleans' reminder table: name and period.</summary>
    private List<(string Name, long PeriodMs)> Reminders(string tenantId, string token)
    {
        using var db = fixture.OpenDatabaseReadOnly();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT reminder_name, period_ms FROM orleans_reminders WHERE grain_id LIKE $key";
        query.Parameters.AddWithValue("$key", $"%{ResourceKey.Of(tenantId, AdminApi.TokenId(token))}%");
        using var rows = query.ExecuteReader();
        var reminders = new List<(string, long)>();
        while (rows.Read())
            reminders.Add((rows.GetString(0), rows.GetInt64(1)));
        return reminders;
    }

    [Fact]
    public async Task DeletedTokenEmitsNoMoreNotifications()
    {
        // Rule T-6 / T-8: deletion revokes at once, so the revoked token is not reminded of.
        var (tenantId, _, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        var grain = fixture.Grains.GetGrain<ITokenGrain>(ResourceKey.Of(tenantId, AdminApi.TokenId(t1)));
        var expires = fixture.Time.GetUtcNow().AddDays(365);
        await fixture.Admin.DeleteTokenAsync(tenantId, t1);

        fixture.Time.SetUtcNow(expires.AddDays(-20));
        await grain.EmitDueNotificationsAsync();

        var events = await fixture.Admin.ListAllEventsAsync(tenantId);
        Assert.DoesNotContain(events, e => e["subject"]!.GetValue<string>() == AdminApi.TokenId(t1));
        Assert.NotEqual(AdminApi.TokenId(t1), AdminApi.TokenId(t2));
    }
}
