using System.CommandLine;
using IdentityDirectory.Cli;

var url = new Option<string>("--url")
{
    Description = "Base URL of the gateway (env DIRCTL_URL)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DIRCTL_URL") ?? "http://127.0.0.1:5000",
    Recursive = true,
};
var key = new Option<string>("--key")
{
    Description = "Operator key (env DIRCTL_KEY)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DIRCTL_KEY") ?? "",
    Recursive = true,
};
var json = new Option<bool>("--json") { Description = "Print the API's JSON instead of a table", Recursive = true };

var root = new RootCommand("dirctl: operate identity directory tenants, SCIM provisioning and tokens") { url, key, json };
root.Subcommands.Add(Commands.Tenants(Run));
root.Subcommands.Add(Commands.Provisioning(Run));
root.Subcommands.Add(Commands.Tokens(Run));
root.Subcommands.Add(Commands.Events(Run));
root.Subcommands.Add(Commands.OperatorKey(Run));
return await root.Parse(args).InvokeAsync();

// Runs one command against the admin API; problems become a one-line error and exit code 1.
async Task<int> Run(ParseResult parse, Func<AdminClient, bool, Task> work)
{
    using var client = new AdminClient(parse.GetValue(url)!, parse.GetValue(key)!);
    try
    {
        await work(client, parse.GetValue(json));
        return 0;
    }
    catch (Exception e) when (e is AdminApiException or HttpRequestException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}
