using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Queries;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class GroupModel : TenantTab
{
    [BindProperty(SupportsGet = true)]
    public string GroupId { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public GroupView? Group { get; private set; }

    public ListView<UserView> Members { get; private set; } = ListView<UserView>.Empty;

    public override async Task LoadAsync()
    {
        Group = GroupView.From(JsonNode.Parse((await OperatorDirectory.GetGroupAsync(Grains, TenantId, GroupId)).Utf8)!);
        Members = ListView<UserView>.From(await OperatorDirectory.SearchUsersAsync(Grains, TenantId,
            new ListQuery(ScimFilter.Equal("groups", GroupId), null, UsersModel.PageSize.ToString(), Cursor ?? "")), UserView.From);
    }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(string? userName)
    {
        var found = ListView<UserView>.From(await OperatorDirectory.SearchUsersAsync(Grains, TenantId,
            new ListQuery(ScimFilter.Equal("userName", userName ?? ""), null, "1", "")), UserView.From);
        if (found.Items is not [var user])
        {
            Refusal = $"No user has the userName {userName}.";
            await LoadAsync();
            return Page();
        }
        await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.AddMember, GroupId, userId: user.Id);
        Notice = $"{user.UserName} added.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/groups/{GroupId}");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string userId)
    {
        await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.RemoveMember, GroupId, userId: userId);
        Notice = "Member removed.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/groups/{GroupId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.DeleteGroup, GroupId);
        Notice = $"Group {GroupId} deleted.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/groups");
    }
}
