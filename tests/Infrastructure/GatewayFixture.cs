using System.Net;
using IdentityDirectory.Directory;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// The embedded product (silo + gateway in one process) on a real Kestrel socket at 127.0.0.1, with
/// its own SQLite file, its own Orleans ports and a <see cref="FakeTimeProvider"/>.
/// </summary>
public class GatewayFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private WebApplicationFactory<Program>? _factory;

    public GatewayFixture() : this(TestDirectories.New(), ownsDirectory: true)
    {
    }

    /// <summary>A product on an existing data directory: a second fixture on the same directory is a restart.</summary>
    protected GatewayFixture(string directory, bool ownsDirectory)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    /// <summary>Configuration of the product under test (embedded); throttling is off unless a test class turns it on.</summary>
    protected Dictionary<string, string> Settings { get; } = new()
    {
        ["Bootstrap:Enabled"] = "false",
        ["Scim:Throttle:ReadsPerSecond"] = "0",
        ["Scim:Throttle:WritesPerSecond"] = "0",
        ["Scim:Throttle:MembershipChangesPerSecond"] = "0",
    };

    /// <summary>
    /// Orleans' own clocks stay real: only the product's rules run on the fake clock. A silo whose
    /// membership clock jumped a year would see its own heartbeat as stale and declare itself dead.
    /// </summary>
    private static readonly string[] OrleansClockAreas =
    [
        TimeProviderNames.Membership, TimeProviderNames.SystemTimers, TimeProviderNames.Messaging,
        TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
    ];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public string DatabasePath => Path.Combine(_directory, "directory.db");

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public virtual Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:Path", DatabasePath);
            web.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString());
            web.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString());
            foreach (var (key, value) in Settings)
                web.UseSetting(key, value);
            web.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                foreach (var area in OrleansClockAreas)
                    services.AddKeyedSingleton(area, TimeProvider.System);
            });
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = _factory.CreateClient().BaseAddress!;
        return Task.CompletedTask;
    }

    private readonly SemaphoreSlim _operatorKeyGate = new(1, 1);
    private string? _operatorKey;

    /// <summary>The operator key of this product instance; created on first use (it is returned only once).</summary>
    public async Task<string> OperatorKeyAsync()
    {
        await _operatorKeyGate.WaitAsync();
        try
        {
            return _operatorKey ??= (await Grains.GetGrain<IOperatorGrain>(IOperatorGrain.Key).BootstrapAsync()).OperatorKey
                ?? throw new InvalidOperationException("The operator key was bootstrapped outside OperatorKeyAsync.");
        }
        finally
        {
            _operatorKeyGate.Release();
        }
    }

    /// <summary>A client on the admin API, authenticated with the operator key.</summary>
    public async Task<HttpClient> CreateAdminClientAsync() => ScimHttp.BearerClient(new Uri(BaseAddress, "admin/").ToString(), await OperatorKeyAsync());

    /// <summary>A read-only connection on the product's SQLite file, to check what is (not) stored.</summary>
    public SqliteConnection OpenDatabaseReadOnly()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>A plain client on the real socket, no credentials.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A fresh tenant (ExternalIdp, provisioning enabled) and a client whose base is its SCIM endpoint.</summary>
    public async Task<ScimTenant> CreateTenantAsync()
    {
        var tenantId = Guid.NewGuid().ToString();
        var directory = Grains.GetGrain<IDirectoryGrain>(tenantId);
        await directory.CreateAsync(new TenantSpec("Test tenant", IdentitySource.ExternalIdp, "Test IdP"));
        var grant = await directory.EnableProvisioningAsync(BaseAddress.ToString());
        return new ScimTenant(tenantId, grant.Token, ScimHttp.ScimClient(grant.ScimEndpoint, grant.Token));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (!_ownsDirectory)
            return;
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record ScimTenant(string TenantId, string Token, HttpClient Client);

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
