using System.Collections.Concurrent;
using System.Net;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Infrastructure.ScimHttp;

namespace IdentityDirectory.Tests.Scim;

public sealed class DurabilityTests
{
    private const int Clients = 8;
    private const int AnswersBeforeKill = 1000;

    // DESIGN §4 (durability) and §2 ("any silo can die: nothing acknowledged is lost"): the product is
    // killed with SIGKILL while SCIM clients create, patch and delete users. After a restart on the
    // same data, every answered write is there and every answered delete stays done; a write without
    // an answer may have landed or not. Then the recount: the user total the directory reports equals
    // the users a walk of every page finds. (That a write is answered only after its commit is shown
    // without a kill by GroupCommitTests.)
    [Fact]
    public async Task AKilledProductKeepsEveryAnsweredWrite()
    {
        var directory = TestDirectories.New();
        Workload workload;
        string endpoint, token;
        await using (var first = ProductProcess.Start(directory, ownsDirectory: false))
        {
            endpoint = await first.ReadLineAfterAsync("SCIM endpoint: ");
            token = await first.ReadLineAfterAsync("SCIM token: ");
            using var client = ScimClient(endpoint, token);
            workload = new Workload(client);
            var running = Enumerable.Range(0, Clients).Select(worker => Task.Run(() => workload.RunAsync(worker))).ToArray();
            await workload.EnoughAnswered.WaitAsync(TimeSpan.FromMinutes(2));
            await first.KillAsync();
            await Task.WhenAll(running);
        }
        Assert.True(workload.Users.Count >= AnswersBeforeKill / 3, $"only {workload.Users.Count} users were created before the kill");

        await using var second = ProductProcess.Start(directory, ownsDirectory: true);
        var endpointAfterRestart = await second.ReadLineAfterAsync("SCIM endpoint: ");
        Assert.Equal(new Uri(endpoint).AbsolutePath, new Uri(endpointAfterRestart).AbsolutePath); // the same tenant, on a new port
        using var restarted = ScimClient(endpointAfterRestart, token);

        var present = new List<string>();
        foreach (var user in workload.Users)
        {
            var response = await restarted.GetAsync($"Users/{user.Id}");
            if (user.Deleted || (user.DeletePending && response.StatusCode == HttpStatusCode.NotFound))
            {
                await response.ExpectErrorAsync(HttpStatusCode.NotFound);
                continue;
            }
            var stored = await response.ExpectAsync(HttpStatusCode.OK);
            Assert.Contains(stored["displayName"]!.GetValue<string>(), new[] { user.DisplayName, user.PendingDisplayName });
            present.Add(user.Id);
        }

        var total = (await (await restarted.GetAsync("Users?count=1")).ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>();
        var walked = await WalkAllUsersAsync(restarted);
        Assert.Equal(total, walked.Count);
        Assert.Equal(walked.Count, walked.Distinct().Count());
        Assert.Subset(walked.ToHashSet(), present.ToHashSet());
        // Besides them, only creates that got no answer may have landed.
        Assert.InRange(walked.Count, present.Count, present.Count + workload.UnansweredCreates);
    }

    private static async Task<List<string>> WalkAllUsersAsync(HttpClient client)
    {
        var ids = new List<string>();
        for (var path = "Users?cursor&count=100"; path is not null;)
        {
            var page = await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
            ids.AddRange(page["Resources"]!.AsArray().Select(user => user!["id"]!.GetValue<string>()));
            path = page["nextCursor"]?.GetValue<string>() is { } next ? $"Users?count=100&cursor={Uri.EscapeDataString(next)}" : null;
        }
        return ids;
    }

    /// <summary>
    /// SCIM clients that each create a user, rename it and delete every other one, until the product
    /// goes away; they remember what was answered and what was asked without an answer.
    /// </summary>
    private sealed class Workload(HttpClient client)
    {
        private readonly TaskCompletionSource _enoughAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _answers;
        private int _unansweredCreates;

        public ConcurrentBag<TrackedUser> Users { get; } = [];

        public int UnansweredCreates => _unansweredCreates;

        public Task EnoughAnswered => _enoughAnswered.Task;

        public async Task RunAsync(int worker)
        {
            for (var round = 0; ; round++)
            {
                var created = await AnswerOf(() => client.PostJsonAsync("Users", UniqueUser()));
                if (created is null)
                {
                    Interlocked.Increment(ref _unansweredCreates);
                    return;
                }
                var user = new TrackedUser((await created.ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
                Users.Add(user);
                Answered();

                user.PendingDisplayName = $"Client {worker} round {round}";
                var renamed = await AnswerOf(() => client.PatchJsonAsync($"Users/{user.Id}", Op("replace", "displayName", user.PendingDisplayName)));
                if (renamed is null)
                    return;
                await renamed.ExpectAsync(HttpStatusCode.OK);
                (user.DisplayName, user.PendingDisplayName) = (user.PendingDisplayName, null);
                Answered();

                if (round % 2 == 1)
                    continue;
                user.DeletePending = true;
                var deleted = await AnswerOf(() => client.DeleteAsync($"Users/{user.Id}"));
                if (deleted is null)
                    return;
                await deleted.ExpectAsync(HttpStatusCode.NoContent);
                user.Deleted = true;
                Answered();
            }
        }

        /// <summary>The answer, or null when the product went away before answering.</summary>
        private static async Task<HttpResponseMessage?> AnswerOf(Func<Task<HttpResponseMessage>> request)
        {
            try
            {
                return await request();
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }

        private void Answered()
        {
            if (Interlocked.Increment(ref _answers) == AnswersBeforeKill)
                _enoughAnswered.TrySetResult();
        }
    }

    /// <summary>What the clients were told about one user, and what they asked without an answer.</summary>
    private sealed class TrackedUser(string id)
    {
        public string Id { get; } = id;
        public string DisplayName { get; set; } = "Ruth R";
        public string? PendingDisplayName { get; set; }
        public bool DeletePending { get; set; }
        public bool Deleted { get; set; }
    }
}
