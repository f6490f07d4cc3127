using System.Net;
using System.Net.Http.Headers;
using IdentityDirectory.Directory;
using IdentityDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace IdentityDirectory.Tests.Scim;

/// <summary>
/// C-04 and its T-5 counterpart move the clock by about a year, so they run on their own product
/// instance and never shift the time the shared gateway collection sees.
/// </summary>
public sealed class ConformanceTokenExpiryTests(ExpiryGatewayFixture fixture) : IClassFixture<ExpiryGatewayFixture>
{
    [Fact]
    public async Task C04_TokenCreated366DaysAgoIs401()
    {
        // Rule R-TOK-3 (1-year validity), R-GEN-2 (expired token → 401), R-ERR-1
        var tenant = await fixture.CreateTenantAsync();
        await Conformance.ExpectAwsAsync(await tenant.Client.GetAsync("ServiceProviderConfig"), HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromDays(366));
        var response = await tenant.Client.GetAsync("ServiceProviderConfig");

        await Conformance.ExpectAwsErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task C04_TokenStillValidOneSecondBefore365Days()
    {
        // Rule T-5 / R-TOK-3 (a token is valid for one year from its creation)
        var tenant = await fixture.CreateTenantAsync();

        fixture.Time.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        var response = await tenant.Client.GetAsync("ServiceProviderConfig");

        var config = await Conformance.ExpectAwsAsync(response, HttpStatusCode.OK);
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
    }
}

/// <summary>
/// The same embedded product as <see cref="GatewayFixture"/>, with one difference: Orleans' own
/// maintenance clocks (membership, system timers, messaging, activation management, grain directory)
/// stay on real time, and only the product's clock is the <see cref="FakeTimeProvider"/>. With
/// GatewayFixture as is, advancing its clock by a year makes the silo's membership see its own
/// heartbeat as a year stale, declare itself dead and FailFast the whole test process.
/// </summary>
public sealed class ExpiryGatewayFixture : IAsyncLifetime
{
    private static readonly string[] RealTimeAreas =
    [
        TimeProviderNames.Membership,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.Messaging,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idir-tests", Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? _factory;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public Uri BaseAddress { get; private set; } = null!;

    private IGrainFactory Grains => _factory!.Services.GetRequiredService<IGrainFactory>();

    public Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:Path", Path.Combine(_directory, "directory.db"));
            web.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString());
            web.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString());
            web.UseSetting("Embedded:Bootstrap", "false");
            web.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                foreach (var area in RealTimeAreas)
                    services.AddKeyedSingleton<TimeProvider>(area, TimeProvider.System);
            });
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = _factory.CreateClient().BaseAddress!;
        return Task.CompletedTask;
    }

    /// <summary>A fresh tenant (ExternalIdp, provisioning enabled) and a client whose base is its SCIM endpoint.</summary>
    public async Task<ScimTenant> CreateTenantAsync()
    {
        var tenantId = Guid.NewGuid().ToString();
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.CreateAsync(new TenantSpec("Test tenant", IdentitySource.ExternalIdp, "Test IdP"));
        var grant = await directory.EnableProvisioningAsync(BaseAddress.ToString());
        var client = new HttpClient { BaseAddress = new Uri(grant.ScimEndpoint + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", grant.Token);
        return new ScimTenant(tenantId, grant.Token, client);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
