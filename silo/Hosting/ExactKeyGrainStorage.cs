using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace IdentityDirectory.Silo.Hosting;

/// <summary>
/// Orleans' ADO.NET grain storage reads a string key that parses as a hex number or a Guid as that number: "020235"
/// and "20235" (or "abc" and "ABC") would both be stored as 0x20235 and share one row. This storage hands such keys
/// to it escaped, so every key is stored under its exact text. Every key the product makes (tenant ids, "tenant/id",
/// "operator") is plain text, passes through unchanged and keeps the rows it has.
/// </summary>
public sealed class ExactKeyGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Not a hex digit, so an escaped key never parses as a number or a Guid; no product key starts with it.</summary>
    private const char Escape = '\u001f';

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, StoredAs(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, StoredAs(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, StoredAs(grainId), grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>The identity the inner storage sees: the grain's own, or its key escaped when Orleans would read it as a number.</summary>
    public static GrainId StoredAs(GrainId grainId)
    {
        var key = grainId.Key.ToString();
        var readAsNumber = grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _);
        return readAsNumber || key.StartsWith(Escape) ? GrainId.Create(grainId.Type, Escape + key) : grainId;
    }
}

public static class ExactKeyGrainStorageExtensions
{
    /// <summary>The ADO.NET grain storage under <paramref name="name"/>, storing every grain under its exact key.</summary>
    public static ISiloBuilder AddExactKeyAdoNetGrainStorage(this ISiloBuilder silo, string name, Action<OptionsBuilder<AdoNetGrainStorageOptions>> configure)
    {
        silo.AddAdoNetGrainStorage(name, configure);
        silo.Services.RemoveAllKeyed<IGrainStorage>(name);
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new ExactKeyGrainStorage(AdoNetGrainStorageFactory.Create(services, name)));
        return silo;
    }
}
