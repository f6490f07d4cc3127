using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Queries;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class UsersModel : TenantTab
{
    public const int PageSize = 50;

    public static readonly (string Value, string Label)[] SearchFields =
        [("userName", "userName"), ("displayName", "display name"), ("externalId", "externalId"), ("id", "id")];

    [BindProperty(SupportsGet = true)]
    public string By { get; set; } = "userName";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    [BindProperty(Name = "user")]
    public UserForm NewUser { get; set; } = new();

    public ListView<UserView> Users { get; private set; } = ListView<UserView>.Empty;

    public override async Task LoadAsync()
    {
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        var field = SearchFields.Any(f => f.Value == By) ? By : "userName";
        var filter = Q is null ? null : ScimFilter.Equal(field, Q);
        Users = ListView<UserView>.From(
            await OperatorDirectory.SearchUsersAsync(Grains, TenantId, new ListQuery(filter, null, PageSize.ToString(), Cursor ?? "")), UserView.From);
    }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var created = UserView.From(System.Text.Json.Nodes.JsonNode.Parse(
            (await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.CreateUser, body: NewUser.ToScim()))!.Utf8)!);
        Notice = $"User {created.UserName} created.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/users/{created.Id}");
    }

    public string QueryString(string? cursor) => ConsoleFormat.ListQuery(By, Q, cursor);
}
