using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Queries;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class UserModel : TenantTab
{
    [BindProperty(SupportsGet = true)]
    public string UserId { get; set; } = "";

    /// <summary>The edit form: the user's attributes on a GET, the ones posted after a refused save.</summary>
    [BindProperty(Name = "user")]
    public UserForm Form { get; set; } = new();

    public UserView? Account { get; private set; }

    public ListView<GroupView> Groups { get; private set; } = ListView<GroupView>.Empty;

    public override async Task LoadAsync()
    {
        Account = UserView.From(await ReadUserAsync());
        Groups = ListView<GroupView>.From(await OperatorDirectory.ListGroupsAsync(Grains, TenantId,
            new ListQuery(ScimFilter.Equal("members", UserId), null, "100", "")), GroupView.From);
        (Form.Handler, Form.Submit) = ("Save", "Save changes");
    }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Form = UserForm.Of(Account!);
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.ReplaceUser, UserId, Form.ToScim(await ReadUserAsync()));
        Notice = "User saved.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/users/{UserId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.DeleteUser, UserId);
        Notice = $"User {UserId} deleted.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/users");
    }

    private async Task<JsonObject> ReadUserAsync() =>
        (JsonObject)JsonNode.Parse((await OperatorDirectory.GetUserAsync(Grains, TenantId, UserId)).Utf8)!;
}
