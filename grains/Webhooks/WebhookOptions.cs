namespace IdentityDirectory.Webhooks;

/// <summary>Section <c>Operator</c>: where health events are POSTed; none = events are only readable in the admin API.</summary>
public sealed class WebhookOptions
{
    public string? WebhookUrl { get; set; }
}
