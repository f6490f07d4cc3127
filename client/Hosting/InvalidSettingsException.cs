namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// A setting a process cannot start with. The hosts print its message as one line and exit with <see cref="ExitCode"/>
/// (<see cref="HostStart.Run"/>), so an operator's typo reads as what to fix, not as a crash with a stack trace.
/// Messages name settings, never their values.
/// </summary>
public sealed class InvalidSettingsException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
