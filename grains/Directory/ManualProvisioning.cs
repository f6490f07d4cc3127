using System.Text.Json.Nodes;
using IdentityDirectory.Groups;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;

namespace IdentityDirectory.Directory;

/// <summary>
/// The operator's manual writes (O-4) as calls of the user and group grains of a partition: the same
/// grains, and so the same rules (those of the tenant's wire profile), as SCIM writes.
/// </summary>
internal static class ManualProvisioning
{
    public static async Task<ScimJson?> ApplyAsync(IGrainFactory grains, TimeProvider time, string partition, WireProfile profile, ManualChange change)
    {
        IUserGrain User(string id) => grains.Reference<IUserGrain>(ResourceKey.Of(partition, id));
        IGroupGrain Group(string id) => grains.Reference<IGroupGrain>(ResourceKey.Of(partition, id));
        ScimRequest Request(string? body = null) => new(profile, body);
        switch (change.Action)
        {
            case ManualAction.CreateUser:
                return (await User(ResourceKey.NewId(time)).CreateAsync(Request(Body(change)))).Body;
            case ManualAction.ReplaceUser:
                return (await User(Id(change)).ReplaceAsync(Request(Body(change)))).Body;
            case ManualAction.DeleteUser:
                await User(Id(change)).DeleteAsync();
                return null;
            case ManualAction.CreateGroup:
                return (await Group(ResourceKey.NewId(time)).CreateAsync(Request(Body(change)))).Body;
            case ManualAction.DeleteGroup:
                await Group(Id(change)).DeleteAsync();
                return null;
            case ManualAction.AddMember or ManualAction.RemoveMember:
                await Group(Id(change)).PatchAsync(Request(MemberPatch(change.Action == ManualAction.AddMember ? "add" : "remove",
                    change.UserId ?? throw ScimException.InvalidValue("A member change names the user."))));
                return null;
            default:
                throw ScimException.InvalidValue($"Unknown manual change '{change.Action}'.");
        }
    }

    private static string Body(ManualChange change) => change.Body ?? throw ScimException.InvalidSyntax();

    private static string Id(ManualChange change) => change.Id ?? throw ScimException.NotFound("The resource is not named.");

    private static string MemberPatch(string op, string userId) => new JsonObject
    {
        ["schemas"] = new JsonArray(ScimSchemaUris.PatchOp),
        ["Operations"] = new JsonArray(new JsonObject
        {
            ["op"] = op,
            ["path"] = "members",
            ["value"] = new JsonArray(new JsonObject { ["value"] = userId }),
        }),
    }.ToJsonString();
}
