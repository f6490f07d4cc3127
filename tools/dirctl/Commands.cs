using System.CommandLine;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Cli;

public delegate Task<int> Runner(ParseResult parse, Func<AdminClient, bool, Task> work);

/// <summary>The command tree: tenants, provisioning, tokens, events, the operator key.</summary>
public static class Commands
{
    private static readonly (string, string)[] TenantColumns =
    [
        ("TENANT", "tenantId"), ("NAME", "displayName"), ("SOURCE", "source"), ("STORE", "identityStoreId"),
        ("PROVISIONING", "provisioningEnabled"), ("TOKENS", "tokenIds"),
    ];

    /// <summary>The list's rows are tenant summaries: the tenant, its counts and its token reminder (T-9).</summary>
    private static readonly (string, string)[] TenantListColumns =
    [
        .. TenantColumns.Select(c => (c.Item1, "tenant." + c.Item2)), ("USERS", "users"), ("GROUPS", "groups"), ("ROTATE", "tokenReminder"),
    ];

    private static readonly (string, string)[] TokenColumns =
    [
        ("TOKEN", "tokenId"), ("CREATED", "createdAt"), ("EXPIRES", "expiresAt"), ("LAST USED", "lastUsedAt"),
        ("DAYS LEFT", "daysRemaining"), ("REMINDER", "reminderCadence"),
    ];

    public static Command Tenants(Runner run)
    {
        var name = new Option<string>("--name") { Description = "Display name", Required = true };
        var source = new Option<string>("--source") { Description = "IdentityCenter | ActiveDirectory | ExternalIdp", DefaultValueFactory = _ => "IdentityCenter" };
        var create = new Command("create", "Create a tenant") { name, source };
        create.SetAction((parse, _) => run(parse, async (api, json) =>
            Output.Write(await api.PostAsync("tenants", new { displayName = parse.GetValue(name), identitySource = parse.GetValue(source) }), json, TenantColumns)));

        var list = new Command("list", "List tenants");
        list.SetAction((parse, _) => run(parse, async (api, json) =>
        {
            var all = new JsonArray();
            string? after = null;
            do
            {
                var page = await api.GetAsync(after is null ? "tenants" : $"tenants?after={after}");
                foreach (var tenant in page!["tenants"]!.AsArray())
                    all.Add(tenant!.DeepClone());
                after = page["next"]?.GetValue<string>();
            }
            while (after is not null);
            Output.Write(all, json, all, TenantListColumns);
        }));

        var show = WithTenant("show", "Show a tenant", run, async (api, tenant, json) => Output.Write(await api.GetAsync($"tenants/{tenant}"), json, TenantColumns));
        var delete = WithTenant("delete", "Delete a tenant with all its users, groups, tokens and events", run, async (api, tenant, _) =>
        {
            await api.DeleteAsync($"tenants/{tenant}");
            Console.WriteLine($"Tenant {tenant} deleted.");
        });
        return new Command("tenants", "Tenants of the cluster") { create, list, show, delete };
    }

    public static Command Provisioning(Runner run)
    {
        var enable = WithTenant("enable", "Turn automatic provisioning on; prints the SCIM endpoint and the first token once", run, async (api, tenant, json) =>
        {
            var grant = await api.PostAsync($"tenants/{tenant}/provisioning");
            if (json)
            {
                Output.Write(grant, json);
                return;
            }
            Console.WriteLine($"SCIM endpoint: {grant!["scimEndpoint"]}");
            Console.WriteLine($"SCIM token:    {grant["token"]}");
            Console.WriteLine("The token is shown once; only its salted hash is stored.");
        });
        var disable = WithTenant("disable", "Turn automatic provisioning off (delete the tokens first)", run, async (api, tenant, _) =>
        {
            await api.DeleteAsync($"tenants/{tenant}/provisioning");
            Console.WriteLine("Automatic provisioning is off.");
        });
        return new Command("provisioning", "Automatic provisioning (SCIM) of a tenant") { enable, disable };
    }

    public static Command Tokens(Runner run)
    {
        var create = WithTenant("create", "Generate a SCIM token (at most two per tenant)", run, async (api, tenant, json) =>
        {
            var created = await api.PostAsync($"tenants/{tenant}/tokens");
            if (json)
                Output.Write(created, json);
            else
                Console.WriteLine($"SCIM token: {created!["token"]}\nThe token is shown once; only its salted hash is stored.");
        });
        var list = WithTenant("list", "List the tenant's tokens with expiry and reminder cadence", run, async (api, tenant, json) =>
        {
            var overview = await api.GetAsync($"tenants/{tenant}/tokens");
            Output.Write(overview!["tokens"]!.AsArray(), json, overview, TokenColumns);
            if (!json && overview["reminder"]?.GetValue<bool>() == true)
                Console.WriteLine("\nReminder: a token expires within 90 days or rotation is unfinished. Run `dirctl tokens rotate`.");
        });

        var tokenId = new Argument<string>("token-id") { Description = "The token id (the part of the token before the '.')" };
        var delete = WithTenant("delete", "Delete (revoke) a token at once", run, async (api, tenant, _, parse) =>
        {
            await api.DeleteAsync($"tenants/{tenant}/tokens/{parse.GetValue(tokenId)}");
            Console.WriteLine($"Token {parse.GetValue(tokenId)} deleted; calls with it now get 401.");
        }, tokenId);

        var rotate = WithTenant("rotate", "Start a rotation: generate the new token and print the steps that finish it", run, async (api, tenant, json) =>
        {
            var before = (await api.GetAsync($"tenants/{tenant}/tokens"))!["tokens"]!.AsArray();
            var created = await api.PostAsync($"tenants/{tenant}/tokens");
            var secret = created!["token"]!.GetValue<string>();
            var newId = secret[..secret.IndexOf('.')];
            if (json)
            {
                Output.Write(new JsonObject { ["token"] = secret, ["replaces"] = new JsonArray(before.Select(t => (JsonNode?)t!["tokenId"]!.DeepClone()).ToArray()) }, json);
                return;
            }
            Console.WriteLine($"New SCIM token (shown once): {secret}");
            Console.WriteLine();
            Console.WriteLine("Finish the rotation:");
            Console.WriteLine("  1. In the identity provider's provisioning settings, replace the secret token with the new one.");
            Console.WriteLine("  2. Test the connection there and save; check that a provisioning cycle succeeds.");
            Console.WriteLine($"  3. Check that the new token shows a last use: dirctl tokens list {tenant}");
            foreach (var old in before)
                Console.WriteLine($"  4. Delete the old token: dirctl tokens delete {tenant} {old!["tokenId"]}");
            Console.WriteLine($"The new token's id is {newId}.");
        });
        return new Command("tokens", "SCIM bearer tokens of a tenant") { create, list, delete, rotate };
    }

    public static Command OperatorKey(Runner run)
    {
        var rotate = new Command("rotate", "Replace the operator key; prints the new key once, and the old key stops working at once");
        rotate.SetAction((parse, _) => run(parse, async (api, json) =>
        {
            var rotated = await api.PostAsync("operator-key");
            if (json)
            {
                Output.Write(rotated, json);
                return;
            }
            Console.WriteLine($"Operator key: {rotated!["operatorKey"]}");
            Console.WriteLine("The key is shown once; only its salted hash is stored. The old key no longer opens anything: update DIRCTL_KEY.");
        }));
        return new Command("operator-key", "The cluster's operator key") { rotate };
    }

    public static Command Events(Runner run) =>
        WithTenant("events", "Health events of a tenant (token expiry notifications)", run, async (api, tenant, json) =>
        {
            var all = new JsonArray();
            long? after = 0;
            while (after is not null)
            {
                var page = await api.GetAsync($"tenants/{tenant}/events?after={after}");
                foreach (var item in page!["events"]!.AsArray())
                    all.Add(item!.DeepClone());
                after = page["next"]?.GetValue<long>();
            }
            Output.Write(all, json, all, ("AT", "at"), ("TYPE", "type"), ("TOKEN", "subject"), ("DETAIL", "detail"));
        });

    private static Command WithTenant(string name, string description, Runner run, Func<AdminClient, string, bool, Task> work) =>
        WithTenant(name, description, run, (api, tenant, json, _) => work(api, tenant, json));

    private static Command WithTenant(string name, string description, Runner run,
        Func<AdminClient, string, bool, ParseResult, Task> work, params Argument[] more)
    {
        var tenant = new Argument<string>("tenant-id") { Description = "The tenant id" };
        var command = new Command(name, description) { tenant };
        foreach (var argument in more)
            command.Arguments.Add(argument);
        command.SetAction((parse, _) => run(parse, (api, json) => work(api, parse.GetValue(tenant)!, json, parse)));
        return command;
    }
}
