using System.Text.Json.Nodes;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;

namespace IdentityDirectory.Groups;

/// <summary>
/// A PatchGroup request in the aws profile (R-PAT-11): displayName, externalId and members only;
/// membership changes are edge inserts and deletes, at most 100 per request, never "all members".
/// </summary>
public static class GroupPatch
{
    private static readonly SchemaDefinition Schema = ScimSchemas.Group;

    public static (JsonObject Attributes, MembershipChange Members) Apply(JsonObject current, IReadOnlyList<PatchOperation> operations)
    {
        var group = (JsonObject)current.DeepClone();
        var add = new List<string>();
        var remove = new List<string>();
        var changes = 0;

        foreach (var (op, path, value) in operations.SelectMany(Expand))
        {
            var attribute = path.Attribute!;
            switch (attribute.Name)
            {
                case "members":
                    var ids = MemberChange(op, path, value);
                    changes += ids.Count;
                    foreach (var id in ids)
                    {
                        (op == PatchOp.Remove ? add : remove).Remove(id);
                        var target = op == PatchOp.Remove ? remove : add;
                        if (!target.Contains(id))
                            target.Add(id);
                    }
                    break;
                case "displayName" or "externalId" when path.SubAttribute is null && path.Filter.Count == 0:
                    if (op == PatchOp.Remove && attribute.Required)
                        throw ScimException.Mutability($"Attribute '{attribute.Name}' is required and cannot be removed.");
                    var normalized = op == PatchOp.Remove ? null : AttributeValues.Normalize(attribute, value?.DeepClone(), attribute.Name);
                    if (normalized is null)
                        group.Remove(attribute.Name);
                    else
                        group[attribute.Name] = normalized;
                    break;
                case "id":
                    throw ScimException.Mutability("Attribute 'id' is read-only.");
                default:
                    throw ScimException.InvalidValue($"Attribute '{path.Display}' cannot be modified by PATCH.");
            }
        }

        if (changes > GroupResource.MaxMembershipChanges)
            throw ScimException.InvalidValue($"A request may hold at most {GroupResource.MaxMembershipChanges} membership changes.");
        var result = ResourceBody.Normalize(group, Schema, null);
        GroupResource.Validate(result);
        return (result, new MembershipChange(add, remove));
    }

    private static IEnumerable<(PatchOp, PatchPath, JsonNode?)> Expand(PatchOperation operation)
    {
        if (operation.Path is not null)
        {
            yield return (operation.Op, ParsePath(operation.Path), operation.Value);
            yield break;
        }
        foreach (var (key, value) in PatchRequest.PathlessValues(operation))
            yield return (operation.Op, ParsePath(key), value);
    }

    private static PatchPath ParsePath(string path)
    {
        try
        {
            return PatchPath.Parse(path, Schema, null);
        }
        catch (ScimException e) when (e.ScimType == ScimTypes.InvalidPath && PatchPath.IsAttributeName(path))
        {
            throw ScimException.InvalidValue($"Attribute '{path}' cannot be modified by PATCH."); // e.g. description (C-73)
        }
    }

    private static IReadOnlyList<string> MemberChange(PatchOp op, PatchPath path, JsonNode? value)
    {
        if (path.SubAttribute is not null)
            throw ScimException.InvalidPath("Member sub-attributes cannot be patched.");
        if (op == PatchOp.Replace)
            throw ScimException.InvalidValue("Replacing all members is not supported; add and remove members instead.");
        if (path.Filter.Count > 0)
        {
            if (op != PatchOp.Remove || path.Filter is not [{ AttributePath: "value", Value: { } id }])
                throw ScimException.InvalidPath("Only remove supports a members filter, in the form members[value eq \"id\"].");
            return [id];
        }
        var ids = GroupResource.MemberIds(AttributeValues.Normalize(Schema.Find("members")!, value?.DeepClone(), "members"));
        if (op == PatchOp.Remove && ids.Count == 0)
            throw ScimException.InvalidValue("Removing all members in one request is not supported.");
        return ids;
    }
}
