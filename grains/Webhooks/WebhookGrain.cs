using System.Net.Http.Json;
using IdentityDirectory.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Webhooks;

public sealed class WebhookGrain(
    [PersistentState("webhook", DirectoryStorage.Name)] IPersistentState<WebhookState> state,
    IDirectoryStore store,
    IHttpClientFactory http,
    IOptions<WebhookOptions> options,
    ILogger<WebhookGrain> logger) : Grain, IWebhookGrain, IRemindable
{
    private const int Batch = 100;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    private IGrainTimer? _retry;
    private TimeSpan _backoff = FirstRetry;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WebhookUrl is not null)
            await this.RegisterOrUpdateReminder("resume", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15)); // survives restarts
    }

    public Task NotifyAsync() => DeliverOrScheduleAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => DeliverOrScheduleAsync();

    public async Task<int> DeliverAsync()
    {
        if (options.Value.WebhookUrl is not { } url)
            return 0;
        var client = http.CreateClient(nameof(WebhookGrain));
        var delivered = 0;
        while (true)
        {
            var pending = await store.ListAllEventsAsync(state.State.DeliveredThrough, Batch);
            if (pending.Count == 0)
                return delivered;
            foreach (var (tenantId, item) in pending)
            {
                using var response = await client.PostAsJsonAsync(url, new
                {
                    tenantId, item.Type, item.Subject, at = item.At, detail = System.Text.Json.JsonDocument.Parse(item.Detail).RootElement, sequence = item.Seq,
                });
                response.EnsureSuccessStatusCode();
                state.State.DeliveredThrough = item.Seq;
                await state.WriteStateAsync();
                delivered++;
            }
        }
    }

    private async Task DeliverOrScheduleAsync()
    {
        try
        {
            await DeliverAsync();
            _backoff = FirstRetry;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("Operator webhook unreachable ({Reason}); retrying in {Delay}", e.Message, _backoff);
            _retry?.Dispose();
            _retry = this.RegisterGrainTimer(DeliverOrScheduleAsync, new GrainTimerCreationOptions(_backoff, Timeout.InfiniteTimeSpan));
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, LongestRetry.Ticks));
        }
    }
}
