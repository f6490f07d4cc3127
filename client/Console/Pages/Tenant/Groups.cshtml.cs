using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class GroupsModel : TenantTab
{
    public static readonly (string Value, string Label)[] SearchFields = [("displayName", "display name"), ("externalId", "externalId"), ("id", "id")];

    [BindProperty(SupportsGet = true)]
    public string By { get; set; } = "displayName";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public ListView<GroupView> Groups { get; private set; } = ListView<GroupView>.Empty;

    public override async Task LoadAsync()
    {
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        var field = SearchFields.Any(f => f.Value == By) ? By : "displayName";
        var filter = Q is null ? null : ScimFilter.Equal(field, Q);
        Groups = ListView<GroupView>.From(await OperatorDirectory.ListGroupsAsync(Grains, TenantId,
            new ListQuery(filter, null, UsersModel.PageSize.ToString(), Cursor ?? "")), GroupView.From);
    }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? displayName, string? externalId)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.Group.Id), ["displayName"] = displayName };
        if (!string.IsNullOrWhiteSpace(externalId))
            body["externalId"] = externalId;
        var created = GroupView.From(JsonNode.Parse((await OperatorDirectory.ApplyAsync(Grains, TenantId, ManualAction.CreateGroup, body: body.ToJsonString()))!.Utf8)!);
        Notice = $"Group {created.DisplayName} created.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/groups/{created.Id}");
    }

    public string QueryString(string? cursor) => ConsoleFormat.ListQuery(By, Q, cursor);
}
