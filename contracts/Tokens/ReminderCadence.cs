namespace IdentityDirectory.Tokens;

/// <summary>How often expiry notifications go out at a token's days left (T-8); <see cref="None"/> beyond 90 days.</summary>
public enum ReminderCadence { None, Weekly, TwiceWeekly, ThriceWeekly, Daily }
