using IdentityDirectory.Directory;

namespace IdentityDirectory;

/// <summary>
/// A user or group grain, keyed <c>{partition}/{id}</c>: the single writer of its store row, holding
/// the row it last read or wrote. The row is read on the first call but a create: a create is always
/// for a fresh id, and the store's unique id index refuses one that exists, so reading first would
/// only cost a query.
/// </summary>
public abstract class ResourceGrain<TState> : Grain where TState : class
{
    private bool _loaded;

    // Read from the grain key when needed rather than kept: 300,000 active users and groups would
    // otherwise hold 60 MB of copies of their own keys.
    protected DirectoryPartition Partition => DirectoryPartition.Parse(ResourceKey.Parse(this.GetPrimaryKeyString()).TenantId);

    protected string Id => ResourceKey.Parse(this.GetPrimaryKeyString()).Id;

    /// <summary>The tenant's directory, which owns the rules that depend on its identity source and settings.</summary>
    protected IDirectoryGrain Directory() => GrainFactory.Reference<IDirectoryGrain>(Partition.TenantId);

    /// <summary>The resource as stored, or null when there is none (after <see cref="LoadAsync"/>).</summary>
    protected TState? Current { get; set; }

    protected abstract Task<TState?> ReadAsync();

    protected async ValueTask LoadAsync()
    {
        if (_loaded)
            return;
        Current = await ReadAsync();
        _loaded = true;
    }

    /// <summary>The resource was just created by this grain, so the store need not be read.</summary>
    protected void Created(TState state)
    {
        Current = state;
        _loaded = true;
    }
}
