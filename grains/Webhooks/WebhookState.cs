namespace IdentityDirectory.Webhooks;

[GenerateSerializer, Alias("IdentityDirectory.WebhookState")]
public sealed class WebhookState
{
    /// <summary>Position of the last event the webhook acknowledged.</summary>
    [Id(0)] public long DeliveredThrough { get; set; }
}
