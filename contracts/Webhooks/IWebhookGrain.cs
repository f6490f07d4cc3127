namespace IdentityDirectory.Webhooks;

/// <summary>
/// Pushes every tenant's health events, in order, to the operator's webhook (T-8), one cluster-wide
/// activation (key <see cref="Key"/>). An event counts as delivered only after a 2xx answer, so a
/// webhook that is down loses nothing: delivery resumes where it stopped, with backoff.
/// </summary>
public interface IWebhookGrain : IGrainWithStringKey
{
    const string Key = "operator-webhook";

    /// <summary>New events were stored: deliver soon.</summary>
    [Orleans.Concurrency.OneWay]
    Task NotifyAsync();

    /// <summary>Delivers what is pending now; returns how many events were delivered.</summary>
    Task<int> DeliverAsync();
}
