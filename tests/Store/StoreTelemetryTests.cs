using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Store;

/// <summary>The store's instruments (docs/operations.md) and the check behind /readyz.</summary>
public sealed class StoreTelemetryTests() : StoreTests("store-telemetry")
{
    private const string Tenant = "store-telemetry-tenant";

    // DESIGN §4 (observability): store latency, by operation and outcome.
    [Fact]
    public async Task EveryCallIsTimedByItsOperationAndOutcomeAndEveryCommitCountsItsWrites()
    {
        using var recorded = new RecordedMeasurements(StoreMeters);

        await Store.InsertUserAsync(Tenant, NewUserRow("a", "a@x.com"), 10, CreateUserAudit("a"));
        await Assert.ThrowsAsync<UniqueConstraintException>(() =>
            Store.InsertUserAsync(Tenant, NewUserRow("b", "a@x.com"), 10, CreateUserAudit("b")));
        Assert.NotNull(await Store.GetUserAsync(Tenant, "a"));

        var calls = recorded.Of("identity_directory.store.duration");
        Assert.Equal(
            ["GetUserAsync ok", "InsertUserAsync ok", "InsertUserAsync refused"], // a taken userName is the rules at work, not a fault
            calls.Select(c => $"{c.Tag("db.operation.name")} {c.Tag("outcome")}").Order());
        Assert.All(calls, c => Assert.True(c.Value > 0));
        // Each insert was awaited before the next was queued, so each committed in a group of its own.
        Assert.Equal([1.0, 1.0], recorded.Of("identity_directory.store.commit.writes").Select(c => c.Value));
    }

    [Fact]
    public async Task TheCheckTakesAWriteThroughTheWriterAndFailsOnceTheStoreIsClosed()
    {
        using var recorded = new RecordedMeasurements(StoreMeters);
        await Store.CheckAsync();

        await Store.DisposeAsync();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Store.CheckAsync());
        Assert.Equal(
            ["CheckAsync error", "CheckAsync ok", "CheckAsync ok"], // the first check's write and read, then the refused write
            recorded.Of("identity_directory.store.duration").Select(c => $"{c.Tag("db.operation.name")} {c.Tag("outcome")}").Order());
    }
}
