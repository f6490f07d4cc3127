namespace IdentityDirectory.Tokens;

/// <summary>Section <c>Tokens</c>: how the expiry notifications of tokens are driven (T-8).</summary>
public sealed class TokenExpiryOptions
{
    /// <summary>
    /// The period of a token's Orleans reminder, which emits every notification whose scheduled instant has passed
    /// (O-6), so a notification goes out at most this long after its instant. Orleans refuses a period under its
    /// <c>ReminderOptions.MinimumReminderPeriod</c> (one minute by default).
    /// </summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromHours(1);
}
