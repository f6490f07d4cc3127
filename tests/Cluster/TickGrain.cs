using System.Collections.Concurrent;
using System.Threading.Channels;

namespace IdentityDirectory.Tests.Cluster;

/// <summary>Counts the ticks of a reminder in its stored state and reports each one to <see cref="TickLog"/>.</summary>
public interface ITickGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();
}

public sealed class TickGrain(
    [PersistentState("ticks", DirectoryStorage.Name)] IPersistentState<TickState> ticks,
    ILocalSiloDetails silo) : Grain, ITickGrain, IRemindable
{
    private const string Reminder = "tick";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(Reminder, period, period);

    public async Task StopAsync() => await this.UnregisterReminder(await this.GetReminder(Reminder) ?? throw new InvalidOperationException("no reminder"));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Count++;
        await ticks.WriteStateAsync();
        TickLog.Record(this.GetPrimaryKeyString(), new Tick(ticks.State.Count, silo.SiloAddress));
    }
}

[GenerateSerializer]
public sealed class TickState
{
    [Id(0)] public int Count { get; set; }
}

public sealed record Tick(int Count, SiloAddress Silo);

/// <summary>The ticks every <see cref="TickGrain"/> of this test process received, in order, per grain key.</summary>
public static class TickLog
{
    private static readonly ConcurrentDictionary<string, Channel<Tick>> Ticks = new();

    public static void Record(string key, Tick tick) => Of(key).Writer.TryWrite(tick);

    /// <summary>The grain's next tick; fails when none comes within <paramref name="timeout"/>.</summary>
    public static async Task<Tick> NextAsync(string key, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await Of(key).Reader.ReadAsync(cancellation.Token);
    }

    private static Channel<Tick> Of(string key) => Ticks.GetOrAdd(key, _ => Channel.CreateUnbounded<Tick>());
}
