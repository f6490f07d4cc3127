using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Bench;

/// <summary>
/// The scale scenario: load a directory to size, then measure indexed lookups, a 100-member PATCH on
/// a big group against a small one, a cursor walk beside concurrent creates, and the product's memory
/// after every user was touched. Every answer is checked against what the scenario itself wrote.
/// </summary>
public sealed class ScaleScenario(ScimClient scim, ScaleOptions options, ScaleReport report)
{
    private const int SmallGroupSize = 100;
    private const int MembersPerPatch = 100;
    private const int MembersPerPlainGroup = 2;

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly Random _random = new(options.Seed);
    private readonly List<User> _users = [];
    private readonly List<string> _plainGroups = [];
    private List<string>?[] _plainGroupsOf = [];
    private bool[] _inBig = [];
    private int _bigCount;
    private int _smallCount;
    private string _bigGroup = "";
    private string _smallGroup = "";
    private int _errors;

    private sealed record User(string Id, string UserName, string ExternalId);

    public int Errors => _errors + (report.Load?.Phases.Sum(p => p.Errors) ?? 0) + report.Lookups.Sum(p => p.Errors);

    public async Task RunAsync()
    {
        await LoadAsync();
        await SettleAsync();
        report.Rss = new RssSummary(RssMiB("VmRSS"), null, null, PhaseResult.From("touch every user (GET)", 16, [], 0, 0));
        await LookupsAsync();
        await RfcFilterLookupsAsync();
        await PatchAsync();
        var createdDuringWalk = await WalkAsync();
        await TouchAsync(createdDuringWalk);
    }

    // 1. Load ------------------------------------------------------------------------------------

    private async Task LoadAsync()
    {
        var phases = new List<PhaseResult>();
        var clock = Stopwatch.StartNew();

        var created = new User?[options.Users];
        phases.Add(await Report(Sampler.RunAsync("load: POST /Users", options.LoadConcurrency, options.Users, async i =>
        {
            var userName = $"scale-{_run}-{i}@x.com";
            var (status, body) = await scim.SendAsync(HttpMethod.Post, "Users", UserBody(userName, $"ext-{_run}-{i}", i));
            if (Unexpected(status, body, HttpStatusCode.Created) is { } error)
                return error;
            if (body?["userName"]?.GetValue<string>() != userName || body["id"]?.GetValue<string>() is not { Length: > 0 } id)
                return "created user has the wrong userName or no id";
            created[i] = new User(id, userName, $"ext-{_run}-{i}");
            return null;
        })));
        _users.AddRange(created.OfType<User>());
        _plainGroupsOf = new List<string>?[_users.Count];
        _inBig = new bool[_users.Count];

        // Plain groups of two members each, so every user belongs to about one; the big and the small group count in --groups.
        var plainCount = options.Groups - 2;
        var plain = new string?[plainCount];
        phases.Add(await Report(Sampler.RunAsync("load: POST /Groups (2 members)", options.LoadConcurrency, plainCount, async j =>
        {
            var displayName = $"scale-{_run}-g{j}";
            var members = PlainMembers(j).Select(u => _users[u].Id).ToArray();
            var (status, body) = await scim.SendAsync(HttpMethod.Post, "Groups", GroupBody(displayName, members));
            if (Unexpected(status, body, HttpStatusCode.Created) is { } error)
                return error;
            if (body?["displayName"]?.GetValue<string>() != displayName || body["id"]?.GetValue<string>() is not { Length: > 0 } id)
                return "created group has the wrong displayName or no id";
            plain[j] = id;
            return null;
        })));
        for (var j = 0; j < plainCount; j++)
        {
            if (plain[j] is not { } id)
                continue;
            _plainGroups.Add(id);
            foreach (var u in PlainMembers(j))
                (_plainGroupsOf[u] ??= []).Add(id);
        }

        _bigGroup = await CreateGroupAsync($"scale-{_run}-big", []);
        var bigMembers = Math.Min(options.BigGroup, _users.Count);
        var patches = (bigMembers + MembersPerPatch - 1) / MembersPerPatch;
        var fill = await Report(Sampler.RunAsync("load: big group PATCH +100 members", 4, patches, async k =>
        {
            var range = Enumerable.Range(k * MembersPerPatch, Math.Min(MembersPerPatch, bigMembers - k * MembersPerPatch)).ToArray();
            var (status, body) = await scim.SendAsync(HttpMethod.Patch, $"Groups/{_bigGroup}", MembersPatch("add", range.Select(u => _users[u].Id)));
            if (Unexpected(status, body, HttpStatusCode.NoContent) is { } error)
                return error;
            foreach (var u in range)
                _inBig[u] = true;
            return null;
        }));
        phases.Add(fill);
        _bigCount = _inBig.Count(b => b);

        var small = Enumerable.Range(0, SmallGroupSize).ToArray();
        _smallGroup = await CreateGroupAsync($"scale-{_run}-small", small.Select(u => _users[u].Id));
        _smallCount = SmallGroupSize;

        report.Load = new LoadSummary(_users.Count, _plainGroups.Count + 2, _bigCount, _smallCount, clock.Elapsed.TotalSeconds, phases);
        Console.Error.WriteLine($"loaded {_users.Count} users, {_plainGroups.Count + 2} groups, big group {_bigCount} members in {clock.Elapsed.TotalSeconds:F0} s");

        // What the product says it holds must be what was loaded.
        await CheckTotalAsync("Users?count=1", _users.Count, "users");
        await CheckTotalAsync("Groups?count=1", _plainGroups.Count + 2, "groups");
        await CheckTotalAsync($"Users?count=1&filter={Filter($"groups.value eq \"{_bigGroup}\"")}", _bigCount, "big group members");
        await CheckTotalAsync($"Users?count=1&filter={Filter($"groups.value eq \"{_smallGroup}\"")}", _smallCount, "small group members");
    }

    private IEnumerable<int> PlainMembers(int j) =>
        Enumerable.Range(0, MembersPerPlainGroup).Select(m => (j * MembersPerPlainGroup + m) % _users.Count).Distinct();

    private async Task<string> CreateGroupAsync(string displayName, IEnumerable<string> members)
    {
        var (status, body) = await scim.SendAsync(HttpMethod.Post, "Groups", GroupBody(displayName, members.ToArray()));
        return status == HttpStatusCode.Created && body?["id"]?.GetValue<string>() is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException($"creating group {displayName}: {Unexpected(status, body, HttpStatusCode.Created)}");
    }

    private async Task CheckTotalAsync(string path, int expected, string what)
    {
        var (status, page, errorBody) = await scim.ListAsync(path);
        var total = page?.TotalResults;
        if (total != expected)
            Sampler.Error("check totals", 0, $"{what}: expected {expected}, the product answered {(total?.ToString() ?? Unexpected(status, errorBody, HttpStatusCode.OK))}", ref _errors);
    }

    /// <summary>
    /// --settle: a command between the load and the lookups, e.g. a PostgreSQL CHECKPOINT and ANALYZE, so the lookups
    /// measure the directory at rest rather than the database's catching up after the bulk load. A command that fails counts as an error.
    /// </summary>
    private async Task SettleAsync()
    {
        if (options.SettleCommand is not { } command)
            return;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]))!;
        await process.WaitForExitAsync();
        report.Settle = new SettleSummary(command, clock.Elapsed.TotalSeconds, process.ExitCode);
        Console.Error.WriteLine($"settled in {clock.Elapsed.TotalSeconds:F1} s (exit code {process.ExitCode})");
        if (process.ExitCode != 0)
            _errors++;
    }

    // 2. Indexed lookups -------------------------------------------------------------------------

    private async Task LookupsAsync()
    {
        // An untimed pass first: the first list requests after the load compile their paths (JIT, statements) in every process.
        await LookupPassAsync(1, WarmUpSamples, timed: false);
        foreach (var concurrency in options.Concurrency)
            await LookupPassAsync(concurrency, options.Samples, timed: true);
    }

    private const int WarmUpSamples = 100;

    private async Task LookupPassAsync(int concurrency, int samples, bool timed)
    {
        // The untimed pass keeps no figures, but a wrong answer in it is still an error.
        async Task Measure(string name, Func<int, Task<string?>> operation)
        {
            if (timed)
                await Lookup(name, concurrency, operation);
            else
                _errors += (await Sampler.RunAsync(name, concurrency, samples, operation)).Errors;
        }

        var users = RandomUsers(samples);
        await Measure("GET /Users/{id}", async i =>
        {
            var user = _users[users[i]];
            var (status, body) = await scim.SendAsync(HttpMethod.Get, $"Users/{user.Id}");
            return Unexpected(status, body, HttpStatusCode.OK)
                ?? (body?["id"]?.GetValue<string>() == user.Id && body["userName"]?.GetValue<string>() == user.UserName ? null : "wrong user");
        });

        users = RandomUsers(samples);
        await Measure("userName eq", i =>
        {
            var user = _users[users[i]];
            return ExpectUsersAsync($"Users?filter={Filter($"userName eq \"{user.UserName}\"")}", [user.Id]);
        });

        users = RandomUsers(samples);
        await Measure("externalId eq", i =>
        {
            var user = _users[users[i]];
            return ExpectUsersAsync($"Users?filter={Filter($"externalId eq \"{user.ExternalId}\"")}", [user.Id]);
        });

        users = RandomUsers(samples);
        await Measure("Groups members eq (groups of a user)", i =>
        {
            var u = users[i];
            return ExpectGroupsAsync($"Groups?filter={Filter($"members eq \"{_users[u].Id}\"")}", GroupsOf(u));
        });

        await Measure("Users groups.value eq big, count=100", async _ =>
        {
            var (status, page, errorBody) = await scim.ListAsync($"Users?count=100&filter={Filter($"groups.value eq \"{_bigGroup}\"")}");
            if (page is null)
                return Unexpected(status, errorBody, HttpStatusCode.OK);
            var ids = page.Ids;
            if (page.TotalResults != _bigCount)
                return $"totalResults {page.TotalResults} instead of {_bigCount}";
            if (ids.Count != Math.Min(100, _bigCount) || ids.Distinct().Count() != ids.Count)
                return $"{ids.Count} resources ({ids.Distinct().Count()} distinct) instead of {Math.Min(100, _bigCount)}";
            return ids.All(IsBigMember) ? null : "a listed user is not a member of the big group";
        });

        users = RandomUsers(samples);
        var groupPick = Enumerable.Range(0, samples).Select(_ => _random.Next()).ToArray();
        await Measure("Groups id eq and members eq", i =>
        {
            var u = users[i];
            var mine = GroupsOf(u);
            // Half the samples ask about a group the user is in, half about a random plain group.
            var group = i % 2 == 0 && mine.Count > 0 ? mine[groupPick[i] % mine.Count] : _plainGroups[groupPick[i] % _plainGroups.Count];
            string[] expected = mine.Contains(group) ? [group] : [];
            return ExpectGroupsAsync($"Groups?filter={Filter($"id eq \"{group}\" and members eq \"{_users[u].Id}\"")}", expected);
        });
    }

    /// <summary>
    /// The filters only the rfc profile serves (R-FLT-1, R-FLT-5), on the same directory switched to rfc
    /// and back: <c>userName sw</c> on a prefix that ~11 users share (answered through the userName
    /// index), and <c>co</c> on userName and displayName, each answered exactly or refused as tooMany.
    /// </summary>
    private async Task RfcFilterLookupsAsync()
    {
        if (options.OperatorKey is null)
            return;
        await SetProfileAsync("rfc");
        try
        {
            foreach (var concurrency in options.Concurrency)
            {
                var users = RandomUsers(options.Samples);
                // scale-<run>-<i>@x.com: the prefix up to i's first five digits (or all of a shorter i) in upper case;
                // what it must match is worked out before the timed requests, so the driver's search is not in the figures.
                var prefixes = users.Select(u => _users[u].UserName[..Math.Min(_users[u].UserName.IndexOf('@'), $"scale-{_run}-".Length + 5)].ToUpperInvariant()).ToArray();
                var matches = prefixes.Select(UsersStartingWith).ToArray();
                await Lookup("rfc: userName sw (prefix of ~11)", concurrency, i => ExpectPrefixAsync(prefixes[i], matches[i]));
                foreach (var attribute in new[] { "userName", "displayName" })
                {
                    _tooMany = 0;
                    await Lookup($"rfc: {attribute} co (tooMany or exact)", concurrency,
                        i => ExpectContainsAsync(attribute, attribute == "userName" ? _users[users[i]].UserName[^12..] : $"User {users[i]}"));
                    Console.Error.WriteLine($"  {_tooMany} of {options.Samples} {attribute} co answered tooMany");
                }
            }
        }
        finally
        {
            await SetProfileAsync("aws");
        }
    }

    private string[]? _sortedUserNames;
    private string[]? _sortedIds;

    /// <summary>The ids of the users whose userName starts with the prefix, case-insensitively, by a binary search of the sorted names.</summary>
    private HashSet<string> UsersStartingWith(string prefix)
    {
        if (_sortedUserNames is null)
        {
            var sorted = _users.OrderBy(u => u.UserName.ToLowerInvariant(), StringComparer.Ordinal).ToArray();
            (_sortedUserNames, _sortedIds) = (sorted.Select(u => u.UserName.ToLowerInvariant()).ToArray(), sorted.Select(u => u.Id).ToArray());
        }
        var lower = prefix.ToLowerInvariant();
        var at = Array.BinarySearch(_sortedUserNames, lower, StringComparer.Ordinal);
        var ids = new HashSet<string>();
        for (var i = at < 0 ? ~at : at; i < _sortedUserNames.Length && _sortedUserNames[i].StartsWith(lower, StringComparison.Ordinal); i++)
            ids.Add(_sortedIds![i]);
        return ids;
    }

    private async Task<string?> ExpectPrefixAsync(string prefix, HashSet<string> expected)
    {
        var (status, page, errorBody) = await scim.ListAsync($"Users?count=100&filter={Filter($"userName sw \"{prefix}\"")}");
        if (page is null)
            return Unexpected(status, errorBody, HttpStatusCode.OK);
        if (page.TotalResults != expected.Count)
            return $"totalResults {page.TotalResults} instead of {expected.Count} for sw {prefix}";
        return page.Ids.Count == Math.Min(100, expected.Count) && page.Ids.All(expected.Contains) ? null : $"wrong users for sw {prefix}";
    }

    private int _tooMany;

    /// <summary>
    /// An exact answer, or 400 tooMany (R-FLT-5): either is right; anything else is an error. An exact answer
    /// is checked by a scan of the driver's users, inside the timing (only below the scan limit, where a
    /// directory is small).
    /// </summary>
    private async Task<string?> ExpectContainsAsync(string attribute, string part)
    {
        var (status, page, errorBody) = await scim.ListAsync($"Users?count=100&filter={Filter($"{attribute} co \"{part}\"")}");
        if (status == HttpStatusCode.BadRequest && errorBody?["scimType"]?.GetValue<string>() == "tooMany")
        {
            Interlocked.Increment(ref _tooMany);
            return null;
        }
        if (page is null)
            return Unexpected(status, errorBody, HttpStatusCode.OK);
        var expected = _users.Select((u, i) => (u, i))
            .Where(x => (attribute == "userName" ? x.u.UserName : $"Scale User {x.i}").Contains(part, StringComparison.OrdinalIgnoreCase)).Count();
        return page.TotalResults == expected ? null : $"totalResults {page.TotalResults} instead of {expected} for {attribute} co {part}";
    }

    private async Task SetProfileAsync(string profile)
    {
        var tenantId = options.Endpoints[0].AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        using var admin = new HttpClient { BaseAddress = new Uri(options.Endpoints[0], "/admin/") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", options.OperatorKey);
        using var body = new StringContent($$"""{"profile":"{{profile}}"}""", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PatchAsync($"tenants/{tenantId}/settings", body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"switching the tenant to {profile}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Console.Error.WriteLine($"tenant switched to the {profile} profile");
    }

    private async Task Lookup(string name, int concurrency, Func<int, Task<string?>> operation) =>
        report.Lookups.Add(await Report(Sampler.RunAsync(name, concurrency, options.Samples, operation)));

    private HashSet<string>? _bigIds;

    private bool IsBigMember(string id)
    {
        _bigIds ??= _users.Where((_, u) => _inBig[u]).Select(u => u.Id).ToHashSet();
        return _bigIds.Contains(id);
    }

    private List<string> GroupsOf(int u)
    {
        var groups = new List<string>(_plainGroupsOf[u] ?? []);
        if (_inBig[u])
            groups.Add(_bigGroup);
        if (u < _smallCount)
            groups.Add(_smallGroup);
        return groups;
    }

    private int[] RandomUsers(int count) => Enumerable.Range(0, count).Select(_ => _random.Next(_users.Count)).ToArray();

    private async Task<string?> ExpectUsersAsync(string path, IReadOnlyCollection<string> expected) => await ExpectIdsAsync(path, expected);

    private async Task<string?> ExpectGroupsAsync(string path, IReadOnlyCollection<string> expected) => await ExpectIdsAsync(path, expected);

    private async Task<string?> ExpectIdsAsync(string path, IReadOnlyCollection<string> expected)
    {
        var (status, page, errorBody) = await scim.ListAsync(path);
        if (page is null)
            return Unexpected(status, errorBody, HttpStatusCode.OK);
        var ids = page.Ids;
        if (page.TotalResults != expected.Count)
            return $"totalResults {page.TotalResults} instead of {expected.Count} for {path}";
        return ids.Count == expected.Count && ids.ToHashSet().SetEquals(expected) ? null : $"resources [{string.Join(",", ids)}] instead of [{string.Join(",", expected)}] for {path}";
    }

    // 3. PATCH +100 members on the big group against the small group ------------------------------

    private async Task PatchAsync()
    {
        // New members are users in neither group; each PATCH is undone (untimed) so both groups keep their size.
        var first = Math.Max(_bigCount, SmallGroupSize);
        var repeats = Math.Min(options.PatchRepeats, (_users.Count - first) / MembersPerPatch);
        if (repeats < options.PatchRepeats)
            Console.Error.WriteLine($"only {repeats} PATCH repeats: not enough users outside the big group");
        var big = new List<double>();
        var small = new List<double>();
        int bigErrors = 0, smallErrors = 0;
        for (var r = 0; r < repeats; r++)
        {
            var members = Enumerable.Range(first + r * MembersPerPatch, MembersPerPatch).Select(u => _users[u].Id).ToArray();
            // Alternate which group goes first, so neither always follows the other.
            foreach (var isBig in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var group = isBig ? _bigGroup : _smallGroup;
                var started = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    var (status, body) = await scim.SendAsync(HttpMethod.Patch, $"Groups/{group}", MembersPatch("add", members));
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    error = Unexpected(status, body, HttpStatusCode.NoContent) ?? await CheckMemberAsync(group, members, true);
                    if (error is null)
                        (isBig ? big : small).Add(elapsed);
                    (status, body) = await scim.SendAsync(HttpMethod.Patch, $"Groups/{group}", MembersPatch("remove", members));
                    error ??= Unexpected(status, body, HttpStatusCode.NoContent) ?? await CheckMemberAsync(group, members, false);
                }
                catch (Exception e)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                if (error is not null)
                {
                    if (isBig)
                        Sampler.Error("PATCH big group", r, error, ref bigErrors);
                    else
                        Sampler.Error("PATCH small group", r, error, ref smallErrors);
                }
            }
        }
        var bigResult = PhaseResult.From($"PATCH +100 on {_bigCount}-member group", 1, big, bigErrors, big.Sum() / 1000);
        var smallResult = PhaseResult.From($"PATCH +100 on {_smallCount}-member group", 1, small, smallErrors, small.Sum() / 1000);
        report.Patch = new PatchSummary(_bigCount, _smallCount, bigResult, smallResult,
            Ratio(bigResult.P50Ms, smallResult.P50Ms), Ratio(bigResult.P99Ms, smallResult.P99Ms));
        _errors += bigErrors + smallErrors;
        Console.Error.WriteLine(ScaleReport.Row(bigResult));
        Console.Error.WriteLine(ScaleReport.Row(smallResult));
    }

    private static double Ratio(double a, double b) => b > 0 ? Math.Round(a / b, 2) : double.NaN;

    /// <summary>The first and the last of the patched members are (or are no longer) members.</summary>
    private async Task<string?> CheckMemberAsync(string group, string[] members, bool expected)
    {
        foreach (var member in new[] { members[0], members[^1] })
        {
            if (await ExpectGroupsAsync($"Groups?filter={Filter($"id eq \"{group}\" and members eq \"{member}\"")}", expected ? [group] : []) is { } error)
                return $"after PATCH {(expected ? "add" : "remove")}: {error}";
        }
        return null;
    }

    // 4. Cursor walk beside creates -------------------------------------------------------------

    private async Task<List<User>> WalkAsync()
    {
        var before = _users.Select(u => u.Id).ToHashSet();
        await CheckTotalAsync("Users?count=1", before.Count, "users before the walk");

        var created = new ConcurrentQueue<User>();
        var createLatencies = new List<double>();
        var createErrors = 0;
        using var stopCreates = new CancellationTokenSource();
        var creates = Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(1 / options.WalkCreatesPerSecond);
            var clock = Stopwatch.StartNew();
            for (var k = 0; !stopCreates.IsCancellationRequested; k++)
            {
                var due = interval * k;
                if (clock.Elapsed < due)
                    await Task.Delay(due - clock.Elapsed);
                var userName = $"scale-{_run}-walk-{k}@x.com";
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var (status, body) = await scim.SendAsync(HttpMethod.Post, "Users", UserBody(userName, $"ext-{_run}-walk-{k}", k));
                    var error = Unexpected(status, body, HttpStatusCode.Created);
                    if (error is null && body?["id"]?.GetValue<string>() is { Length: > 0 } id)
                    {
                        createLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        created.Enqueue(new User(id, userName, $"ext-{_run}-walk-{k}"));
                    }
                    else
                        Sampler.Error("create during walk", k, error ?? "no id", ref createErrors);
                }
                catch (Exception e)
                {
                    Sampler.Error("create during walk", k, e.Message, ref createErrors);
                }
            }
        });

        var seen = new HashSet<string>();
        int duplicates = 0, pages = 0, pageErrors = 0;
        var pageLatencies = new List<double>();
        var walkClock = Stopwatch.StartNew();
        var path = "Users?cursor&count=100";
        while (path is not null)
        {
            var started = Stopwatch.GetTimestamp();
            var (status, page, errorBody) = await scim.ListAsync(path);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            pages++;
            if (page is null)
            {
                Sampler.Error("cursor walk", pages, Unexpected(status, errorBody, HttpStatusCode.OK)!, ref pageErrors);
                break; // the walk cannot go on without the page's cursor
            }
            var (ids, next) = (page.Ids, page.NextCursor);
            if (next is not null && ids.Count != 100)
                Sampler.Error("cursor walk", pages, $"a page with a next cursor holds {ids.Count} users", ref pageErrors);
            else
                pageLatencies.Add(elapsed);
            foreach (var id in ids)
            {
                if (!seen.Add(id))
                    duplicates++;
            }
            path = next is null ? null : $"Users?count=100&cursor={Uri.EscapeDataString(next)}";
            if (pages % 500 == 0)
                Console.Error.WriteLine($"  … cursor walk: {pages} pages, {seen.Count} users in {walkClock.Elapsed.TotalSeconds:F0} s");
        }
        var walkSeconds = walkClock.Elapsed.TotalSeconds;
        stopCreates.Cancel();
        await creates;

        var createdIds = created.Select(u => u.Id).ToHashSet();
        var misses = before.Count(id => !seen.Contains(id));
        var unexpected = seen.Count(id => !before.Contains(id) && !createdIds.Contains(id));
        var walk = new WalkSummary(before.Count, pages, seen.Count, duplicates, misses, createdIds.Count, seen.Count(createdIds.Contains),
            unexpected, walkSeconds,
            PhaseResult.From("cursor walk: GET page of 100", 1, pageLatencies, pageErrors, walkSeconds),
            PhaseResult.From("cursor walk: POST /Users beside it", 1, createLatencies, createErrors, walkSeconds));
        report.Walk = walk;
        _errors += pageErrors + createErrors;
        if (duplicates > 0 || misses > 0 || unexpected > 0)
            Sampler.Error("cursor walk", 0, $"{duplicates} duplicates, {misses} misses, {unexpected} unexpected ids", ref _errors);
        Console.Error.WriteLine($"cursor walk: {pages} pages, duplicates {duplicates}, misses {misses}, created during walk {createdIds.Count}");
        return [.. created];
    }

    // 5. Touch every user, then read the product's RSS -------------------------------------------

    private async Task TouchAsync(List<User> createdDuringWalk)
    {
        var all = _users.Concat(createdDuringWalk).ToList();
        var touch = await Report(Sampler.RunAsync("touch every user (GET)", 16, all.Count, async i =>
        {
            var (status, body) = await scim.SendAsync(HttpMethod.Get, $"Users/{all[i].Id}");
            return Unexpected(status, body, HttpStatusCode.OK) ?? (body?["id"]?.GetValue<string>() == all[i].Id ? null : "wrong user");
        }));
        _errors += touch.Errors;
        report.Rss = report.Rss! with { AfterTouchMiB = RssMiB("VmRSS"), PeakMiB = RssMiB("VmHWM"), Touch = touch };
    }

    private double? RssMiB(string field)
    {
        if (options.ProductPid is not { } pid)
            return null;
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    // Helpers ------------------------------------------------------------------------------------

    private async Task<PhaseResult> Report(Task<PhaseResult> phase)
    {
        var result = await phase;
        Console.Error.WriteLine(ScaleReport.Row(result));
        return result;
    }

    private static string Filter(string filter) => Uri.EscapeDataString(filter);

    private static string? Unexpected(HttpStatusCode status, JsonNode? body, HttpStatusCode expected) =>
        status == expected ? null : $"HTTP {(int)status} {body?["scimType"]} {body?["detail"]}".TrimEnd();

    internal static string UserBody(string userName, string externalId, int i) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["displayName"] = $"Scale User {i}",
        ["name"] = new JsonObject { ["givenName"] = "Scale", ["familyName"] = $"User{i}" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
        ["externalId"] = externalId,
        ["active"] = true,
    }.ToJsonString();

    internal static string GroupBody(string displayName, string[] members) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["displayName"] = displayName,
        ["members"] = new JsonArray(members.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()),
    }.ToJsonString();

    internal static string MembersPatch(string op, IEnumerable<string> members) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject
        {
            ["op"] = op,
            ["path"] = "members",
            ["value"] = new JsonArray(members.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()),
        }),
    }.ToJsonString();
}
