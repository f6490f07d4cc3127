namespace IdentityDirectory.Throttling;

/// <summary>A token bucket holding one second of its rate, refilled from the injected clock.</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        Rate = _tokens = ratePerSecond;
        _time = time;
        _refilledAt = time.GetTimestamp();
    }

    public double Rate { get; }

    /// <summary>Takes <paramref name="count"/> tokens or none; a request larger than the bucket waits for a full one.</summary>
    public bool TryTake(int count, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(Rate, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * Rate);
        _refilledAt = now;
        var needed = Math.Min(count, Rate);
        if (_tokens >= needed)
        {
            _tokens -= needed;
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = TimeSpan.FromSeconds((needed - _tokens) / Rate);
        return false;
    }
}
