using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// Keeps out of the log the two notes Orleans writes at every start of a process without the server GC
/// ("Silo not running with ServerGC turned on", "ServerGC only kicks in on multi-core systems"). The product
/// runs the workstation GC on purpose (IdentityDirectory.Silo.csproj: on two cores the server GC's per-core
/// heaps cost memory without buying throughput), so they tell an operator nothing. Every other entry passes,
/// the silo's other warnings among them, including the one that shares the notes' event id.
/// </summary>
public sealed class ServerGcNoteFilter(ILoggerFactory factory) : ILoggerFactory
{
    private const string SiloCategory = "Orleans.Runtime.Silo";
    private const int GcNoteEventId = 100405;

    /// <summary>Puts the filter in front of the host's logger factory; call it after the host set up logging.</summary>
    public static void Install(IServiceCollection services)
    {
        services.TryAddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new ServerGcNoteFilter(provider.GetRequiredService<LoggerFactory>())));
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = factory.CreateLogger(categoryName);
        return categoryName == SiloCategory ? new WithoutGcNotes(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => factory.AddProvider(provider);

    /// <summary>The container disposes the factory it made.</summary>
    public void Dispose()
    {
    }

    private sealed class WithoutGcNotes(ILogger logger) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != GcNoteEventId || !IsServerGcNote(state))
                logger.Log(logLevel, eventId, state, exception, formatter);
        }

        private static bool IsServerGcNote<TState>(TState state) => state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.Any(value => value is { Key: "{OriginalFormat}", Value: string format } && format.Contains("ServerGC", StringComparison.Ordinal));
    }
}
