namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>What a test listener has received, awaited as it arrives rather than polled.</summary>
public sealed class Arrivals
{
    private event Action? Arrived;

    /// <summary>Called by the listener after it kept what arrived.</summary>
    public void Notify() => Arrived?.Invoke();

    /// <summary>Completes once <paramref name="reached"/> holds; after <paramref name="patience"/>, fails with <paramref name="failure"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> reached, TimeSpan patience, Func<string> failure)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (reached())
                done.TrySetResult();
        }
        Arrived += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(failure());
        }
        finally
        {
            Arrived -= Check;
        }
    }
}
