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

    protected string Partition { get; private set; } = "";

    protected string Id { get; private set; } = "";

    /// <summary>The resource as stored, or null when there is none (after <see cref="LoadAsync"/>).</summary>
    protected TState? Current { get; set; }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (Partition, Id) = ResourceKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

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
