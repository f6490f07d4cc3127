using System.Net;
using IdentityDirectory.Silo.Hosting;
using IdentityDirectory.Tests.Infrastructure;
using IdentityDirectory.Tests.Store;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

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
            var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
            var readiness = new Readiness(lifetime, store, TimeProvider.System, NullLogger<Readiness>.Instance);

            Assert.Equal("starting", await readiness.ProblemAsync());

            lifetime.NotifyStarted();
            Assert.Null(await readiness.ProblemAsync());

            await store.DisposeAsync();
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
}
