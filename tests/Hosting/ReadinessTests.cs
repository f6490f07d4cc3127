using System.Net;
using IdentityDirectory.Silo.Hosting;
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
        var file = new TemporaryStoreFile("readiness");
        var store = file.Open();
        try
        {
            var time = new FakeTimeProvider();
            var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
            var readiness = new Readiness(lifetime, store, time, NullLogger<Readiness>.Instance);

            Assert.Equal("starting", await readiness.ProblemAsync());

            lifetime.NotifyStarted();
            Assert.Null(await readiness.ProblemAsync());

            await store.DisposeAsync();
            time.Advance(Readiness.CheckReuse);
            Assert.Equal("the directory store does not answer", await readiness.ProblemAsync());

            lifetime.StopApplication();
            Assert.Equal("stopping", await readiness.ProblemAsync());
        }
        finally
        {
            await store.DisposeAsync();
            file.Delete();
        }
    }

    [Fact]
    public async Task ProbesWithinASecondShareOneStoreCheck()
    {
        // /readyz needs no credentials, so a flood of probes must not become a flood of store writes.
        var file = new TemporaryStoreFile("readiness-probes");
        var store = file.Open();
        try
        {
            using var recorded = new RecordedMeasurements(file.Meters);
            var time = new FakeTimeProvider();
            var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
            lifetime.NotifyStarted();
            var readiness = new Readiness(lifetime, store, time, NullLogger<Readiness>.Instance);

            for (var probe = 0; probe < 20; probe++)
                Assert.Null(await readiness.ProblemAsync());
            time.Advance(Readiness.CheckReuse);
            Assert.Null(await readiness.ProblemAsync());

            var checks = recorded.Of("identity_directory.store.commit.writes");
            Assert.Equal(2, checks.Count); // one heartbeat write per second of probes
        }
        finally
        {
            await store.DisposeAsync();
            file.Delete();
        }
    }

    [Fact]
    public async Task AStoreThatCannotCommitForFiveSecondsMakesTheProductNotReady()
    {
        var file = new TemporaryStoreFile("readiness-stuck");
        var store = file.Open();
        try
        {
            var time = new FakeTimeProvider();
            var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
            lifetime.NotifyStarted();
            var readiness = new Readiness(lifetime, store, time, NullLogger<Readiness>.Instance);
            await using var other = new SqliteConnection(file.ConnectionString);
            other.Open();
            using var holdWriteLock = other.CreateCommand();
            holdWriteLock.CommandText = "BEGIN IMMEDIATE"; // the store's writer cannot commit while this holds the lock
            holdWriteLock.ExecuteNonQuery();

            var probe = readiness.ProblemAsync();
            Assert.False(probe.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(5));

            Assert.Equal("the directory store does not answer", await probe);
            holdWriteLock.CommandText = "COMMIT";
            holdWriteLock.ExecuteNonQuery();
        }
        finally
        {
            await store.DisposeAsync();
            file.Delete();
        }
    }
}
