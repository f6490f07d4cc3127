using System.Net;
using IdentityDirectory.Silo.Hosting;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tests.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>DESIGN §4 (observability): <c>/healthz</c> and <c>/readyz</c>.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReadinessTests(GatewayFixture product)
{
    [Fact]
    public async Task AStartedProductIsAliveAndReady()
    {
        using var client = product.CreateClient();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheProductIsReadyOnlyFromStartUntilStopAndWhileItsStoreAnswers()
    {
        await using var probed = new ProbedStore("readiness");

        Assert.Equal("starting", await probed.Readiness.ProblemAsync());

        probed.Lifetime.NotifyStarted();
        Assert.Null(await probed.Readiness.ProblemAsync());

        await probed.Store.DisposeAsync();
        probed.Time.Advance(Readiness.CheckReuse);
        Assert.Equal("the directory store does not answer", await probed.Readiness.ProblemAsync());

        probed.Lifetime.StopApplication();
        Assert.Equal("stopping", await probed.Readiness.ProblemAsync());
    }

    [Fact]
    public async Task ProbesWithinASecondShareOneStoreCheck()
    {
        // /readyz needs no credentials, so a flood of probes must not become a flood of store writes.
        await using var probed = new ProbedStore("readiness-probes");
        using var recorded = new RecordedMeasurements(probed.File.Meters);
        probed.Lifetime.NotifyStarted();

        for (var probe = 0; probe < 20; probe++)
            Assert.Null(await probed.Readiness.ProblemAsync());
        probed.Time.Advance(Readiness.CheckReuse);
        Assert.Null(await probed.Readiness.ProblemAsync());

        Assert.Equal(2, recorded.Of("identity_directory.store.commit.writes").Count); // one heartbeat write per second of probes
    }

    [Fact]
    public async Task AStoreThatCannotCommitForFiveSecondsMakesTheProductNotReady()
    {
        await using var probed = new ProbedStore("readiness-stuck");
        probed.Lifetime.NotifyStarted();
        await using var other = new SqliteConnection(probed.File.ConnectionString);
        other.Open();
        using var holdWriteLock = other.CreateCommand();
        holdWriteLock.CommandText = "BEGIN IMMEDIATE"; // the store's writer cannot commit while this holds the lock
        holdWriteLock.ExecuteNonQuery();

        var probe = probed.Readiness.ProblemAsync();
        Assert.False(probe.IsCompleted);
        probed.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("the directory store does not answer", await probe);
        holdWriteLock.CommandText = "COMMIT";
        holdWriteLock.ExecuteNonQuery();
    }

    /// <summary>The readiness probe of a host that has not started yet, over a store of its own, on a fake clock.</summary>
    private sealed class ProbedStore : IAsyncDisposable
    {
        public ProbedStore(string name)
        {
            File = new TemporaryStoreFile(name);
            Store = File.Open();
            Readiness = new Readiness(Lifetime, Store, Time, NullLogger<Readiness>.Instance);
        }

        public TemporaryStoreFile File { get; }
        public SqliteDirectoryStore Store { get; }
        public FakeTimeProvider Time { get; } = new();
        public ApplicationLifetime Lifetime { get; } = new(NullLogger<ApplicationLifetime>.Instance);
        public Readiness Readiness { get; }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            File.Delete();
        }
    }
}
