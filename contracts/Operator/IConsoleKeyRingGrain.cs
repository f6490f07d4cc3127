namespace IdentityDirectory.Operator;

/// <summary>
/// The keys that protect the operator console's cookies and antiforgery tokens, one ring per cluster (key
/// <see cref="Key"/>), so that every gateway accepts the sessions any of them issued, and a restart keeps them.
/// </summary>
public interface IConsoleKeyRingGrain : IGrainWithStringKey
{
    const string Key = "console";

    /// <summary>The ring's keys, as ASP.NET Core data protection wrote them (XML).</summary>
    Task<IReadOnlyList<string>> GetKeysAsync();

    Task AddKeyAsync(string key);
}
