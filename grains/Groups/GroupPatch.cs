using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Groups;

/// <summary>
/// A group PATCH (R-PAT-4..7, R-PAT-11): displayName and externalId through the shared PATCH engine;
/// <c>members</c> as a plan of edge inserts and deletes, O(changes), except where the profile lets a
/// request replace or remove the whole member list.
/// </summary>
public static class GroupPatch
{
    public static (JsonObject Attributes, MemberPlan Members) Apply(WireProfile profile, JsonObject current, IReadOnlyList<PatchOperation> operations)
    {
        foreach (var operation in operations)
        {
            IEnumerable<string> names = operation.Path is { } path ? [path] : PatchRequest.PathlessValues(operation).Select(v => v.Key);
            if (names.FirstOrDefault(name => PatchPath.IsAttributeName(name) && profile.Group.Find(name) is null) is { } unknown)
                throw ScimException.InvalidValue($"Attribute '{unknown}' cannot be modified by PATCH."); // e.g. description (C-73)
        }
        var targets = ResourcePatch.Targets(profile, ResourceType.Group, operations);
        var plan = new MemberPlan.Builder();
        var changes = 0;
        foreach (var target in targets.Where(IsMembers))
            changes += Plan(profile, plan, target);
        GroupResource.CheckMembershipChanges(profile, changes);
        var attributes = ResourcePatch.Apply(profile, ResourceType.Group, current, targets.Where(t => !IsMembers(t)));
        GroupResource.Validate(profile, attributes);
        return (attributes, plan.Build());
    }

    private static bool IsMembers(PatchTarget target) => target.Path.Attribute?.Name == "members";

    /// <returns>the number of member values the operation names (R-PAT-11 counts them).</returns>
    private static int Plan(WireProfile profile, MemberPlan.Builder plan, PatchTarget target)
    {
        var (op, path, value) = target;
        if (path.SubAttribute is not null)
            throw ScimException.InvalidPath("Member sub-attributes cannot be patched.");
        if (path.Filter.Count > 0)
        {
            if (op != PatchOp.Remove || path.Filter is not [{ AttributePath: "value", Value: { } id }])
                throw ScimException.InvalidPath("Only remove supports a members filter, in the form members[value eq \"id\"].");
            plan.Remove([id]);
            return 1;
        }
        var ids = GroupResource.MemberIds(AttributeValues.Normalize(profile, path.Attribute!, value?.DeepClone(), "members"));
        switch (op)
        {
            case PatchOp.Add:
                plan.Add(ids);
                break;
            case PatchOp.Remove when ids.Count > 0:
                plan.Remove(ids);
                break;
            case PatchOp.Remove when profile.PatchReplacesAllMembers:
                plan.ReplaceAll([]); // RFC 7644 §3.5.2.2: no value removes every member
                break;
            case PatchOp.Remove:
                throw ScimException.InvalidValue("Removing all members in one request is not supported.");
            case PatchOp.Replace when profile.PatchReplacesAllMembers:
                plan.ReplaceAll(ids);
                break;
            case PatchOp.Replace:
                throw ScimException.InvalidValue("Replacing all members is not supported; add and remove members instead.");
        }
        return ids.Count;
    }
}
