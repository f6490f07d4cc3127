using IdentityDirectory.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>
/// A silo's <see cref="TimeProvider"/> in a multi-silo test cluster: code running in a product grain (the grains
/// assembly) reads the test's <see cref="FakeTimeProvider"/>; the Orleans runtime keeps the system clock.
/// Orleans 10 drives membership from the same service: its MinimumSiloGeneration comes from <c>GetUtcNow()</c>
/// while silo generations come from the real clock, so one shared fake clock ahead of real time (or advanced by
/// a year) makes the silos evict each other. Timestamps and timers are always real.
/// </summary>
public sealed class ProductClock(FakeTimeProvider fake) : TimeProvider
{
    private static readonly System.Reflection.Assembly Product = typeof(UserGrain).Assembly;
    private IGrainContextAccessor? _grainContext;

    public override DateTimeOffset GetUtcNow() =>
        _grainContext?.GrainContext?.GrainInstance?.GetType().Assembly == Product ? fake.GetUtcNow() : System.GetUtcNow();

    /// <summary>
    /// Registers the clock on a silo. The grain-context accessor is attached just before the silo becomes active:
    /// resolving it while the runtime is still being built would recurse into the clock.
    /// </summary>
    public static void Register(ISiloBuilder silo, FakeTimeProvider fake)
    {
        // Added (not tried), so it wins over the TryAdd defaults of AddSqliteDirectory and of Orleans.
        silo.Services.AddSingleton<TimeProvider>(_ => new ProductClock(fake));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new Attach(services));
    }

    private sealed class Attach(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(ProductClock), ServiceLifecycleStage.BecomeActive - 1, _ =>
            {
                ((ProductClock)services.GetRequiredService<TimeProvider>())._grainContext = services.GetRequiredService<IGrainContextAccessor>();
                return Task.CompletedTask;
            });
    }
}
