namespace IdentityDirectory.Tokens;

/// <summary>
/// T-8: with d = days left, weekly while 60 &lt; d ≤ 90, twice a week while 30 &lt; d ≤ 60, three
/// times a week while 15 &lt; d ≤ 30, daily while 0 &lt; d ≤ 15. Each band's notifications start at
/// its upper bound, so the schedule is a pure function of the expiry instant: a restart can recompute
/// it and neither lose nor repeat a notification.
/// </summary>
public static class ExpirySchedule
{
    private static readonly (int Upper, int Lower, TimeSpan Step)[] Bands =
    [
        (90, 60, TimeSpan.FromDays(7)),
        (60, 30, TimeSpan.FromDays(7) / 2),
        (30, 15, TimeSpan.FromDays(7) / 3),
        (15, 0, TimeSpan.FromDays(1)),
    ];

    public static ReminderCadence CadenceAt(TimeSpan left) => left.TotalDays switch
    {
        > 90 or <= 0 => ReminderCadence.None,
        > 60 => ReminderCadence.Weekly,
        > 30 => ReminderCadence.TwiceWeekly,
        > 15 => ReminderCadence.ThriceWeekly,
        _ => ReminderCadence.Daily,
    };

    /// <summary>Every notification instant of a token expiring at <paramref name="expiresAt"/>, in order.</summary>
    public static IEnumerable<DateTimeOffset> Notifications(DateTimeOffset expiresAt)
    {
        foreach (var (upper, lower, step) in Bands)
        {
            for (var left = TimeSpan.FromDays(upper); left > TimeSpan.FromDays(lower); left -= step)
                yield return expiresAt - left;
        }
    }
}
