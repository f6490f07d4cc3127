using System.Text.Json.Nodes;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Users;

/// <summary>
/// Applies a PatchOp to a copy of a user (R-PAT-2): every operation in order, then the whole-resource
/// checks. The caller commits the copy only when all of it succeeded.
/// </summary>
public static class UserPatch
{
    private static readonly SchemaDefinition Core = ScimSchemas.User;
    private static readonly SchemaDefinition Extension = ScimSchemas.EnterpriseUser;
    private static readonly string[] OncePerRequest = ["userName", "active"];
    private static readonly string[] RemovalRefused = ["userName", "active", "displayName", "name"];

    public static JsonObject Apply(JsonObject current, IReadOnlyList<PatchOperation> operations)
    {
        var user = (JsonObject)current.DeepClone();
        var targets = new List<(PatchOp Op, PatchPath Path, JsonNode? Value)>();
        foreach (var operation in operations)
            targets.AddRange(Expand(operation));

        foreach (var name in OncePerRequest)
        {
            if (targets.Count(t => t.Path.Schema == Core && t.Path.Attribute?.Name == name) > 1)
                throw ScimException.InvalidValue($"A request may hold only one operation on '{name}'.");
        }

        foreach (var (op, path, value) in targets)
            ApplyOne(user, op, path, value);

        var result = ResourceBody.Normalize(user, Core, Extension); // canonical order and values again
        UserResource.Validate(result);
        return result;
    }

    /// <summary>A pathless add/replace becomes one targeted operation per key (R-PAT-7), extension keys included.</summary>
    private static IEnumerable<(PatchOp, PatchPath, JsonNode?)> Expand(PatchOperation operation)
    {
        if (operation.Path is not null)
        {
            yield return (operation.Op, PatchPath.Parse(operation.Path, Core, Extension), operation.Value);
            yield break;
        }
        foreach (var (key, value) in PatchRequest.PathlessValues(operation))
        {
            if (key.Equals(Extension.Id, StringComparison.OrdinalIgnoreCase) && value is JsonObject extensionValues)
            {
                foreach (var (name, child) in extensionValues)
                    yield return (operation.Op, PatchPath.Parse($"{Extension.Id}:{name}", Core, Extension), child);
                continue;
            }
            yield return (operation.Op, PatchPath.Parse(key, Core, Extension), value);
        }
    }

    private static void ApplyOne(JsonObject user, PatchOp op, PatchPath path, JsonNode? value)
    {
        if (path.IsExtensionRoot)
        {
            if (op == PatchOp.Remove)
                user.Remove(Extension.Id);
            else if (ResourceBody.NormalizeExtension(Extension, value?.DeepClone()) is { } extension)
            {
                foreach (var (name, child) in extension.ToList())
                    ApplyOne(user, op, path with { Attribute = Extension.Find(name) }, child?.DeepClone());
            }
            return;
        }

        var attribute = path.Attribute!;
        switch (attribute.Support)
        {
            case AwsSupport.Ignored:
                return;
            case AwsSupport.ServerOwned:
                throw ScimException.Mutability($"Attribute '{attribute.Name}' is read-only.");
            case AwsSupport.Rejected:
            case AwsSupport.NotPatchable:
                throw ScimException.InvalidValue($"Attribute '{attribute.Name}' cannot be modified by PATCH.");
        }

        var container = path.Schema == Extension ? ExtensionOf(user) : user;
        if (path.Filter.Count > 0)
            ApplyFiltered(container, op, path, value);
        else if (path.SubAttribute is not null)
            ApplySubAttribute(container, op, attribute, path.SubAttribute, value);
        else
            ApplyWhole(container, op, attribute, value);

        if (path.Schema == Extension && container.Count == 0)
            user.Remove(Extension.Id);
    }

    private static JsonObject ExtensionOf(JsonObject user)
    {
        if (user[Extension.Id] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        user[Extension.Id] = created;
        return created;
    }

    private static void ApplyWhole(JsonObject container, PatchOp op, AttributeDefinition attribute, JsonNode? value)
    {
        if (op == PatchOp.Remove)
        {
            if (attribute.Required || RemovalRefused.Contains(attribute.Name))
                throw ScimException.Mutability($"Attribute '{attribute.Name}' is required and cannot be removed.");
            if (attribute.MultiValued && AttributeValues.Normalize(attribute, value?.DeepClone(), attribute.Name) is JsonArray toRemove
                && container[attribute.Name] is JsonArray existing)
            {
                foreach (var item in existing.Where(e => toRemove.Any(r => JsonNode.DeepEquals(e, r))).ToList())
                    existing.Remove(item);
                if (existing.Count == 0)
                    container.Remove(attribute.Name);
                return;
            }
            container.Remove(attribute.Name);
            return;
        }

        var normalized = AttributeValues.Normalize(attribute, value?.DeepClone(), attribute.Name);
        if (normalized is null)
        {
            container.Remove(attribute.Name); // R-PAT-14: null and [] clear
            return;
        }
        if (attribute.MultiValued && op == PatchOp.Add && container[attribute.Name] is JsonArray current)
        {
            foreach (var item in ((JsonArray)normalized).ToList())
            {
                if (!current.Any(e => JsonNode.DeepEquals(e, item)))
                    current.Add(item!.DeepClone());
            }
            return;
        }
        if (attribute.Type == AttributeType.Complex && !attribute.MultiValued && container[attribute.Name] is JsonObject existingObject)
        {
            var merged = existingObject.ToDictionary(p => p.Key, p => p.Value!.DeepClone());
            foreach (var (key, child) in (JsonObject)normalized)
                merged[key] = child!.DeepClone();
            container[attribute.Name] = AttributeValues.Ordered(attribute.Children, merged);
            return;
        }
        container[attribute.Name] = normalized;
    }

    private static void ApplySubAttribute(JsonObject container, PatchOp op, AttributeDefinition attribute, AttributeDefinition sub, JsonNode? value)
    {
        if (op == PatchOp.Remove && sub.Required)
            throw ScimException.Mutability($"Attribute '{attribute.Name}.{sub.Name}' is required and cannot be removed.");
        var normalized = op == PatchOp.Remove ? null : AttributeValues.Normalize(sub, value?.DeepClone(), $"{attribute.Name}.{sub.Name}");
        if (attribute.MultiValued)
        {
            var elements = container[attribute.Name] as JsonArray;
            if (elements is null || elements.Count == 0)
            {
                if (normalized is null)
                    return;
                container[attribute.Name] = new JsonArray(new JsonObject { [sub.Name] = normalized });
                return;
            }
            foreach (var element in elements.OfType<JsonObject>())
                SetSub(element, sub, normalized);
            return;
        }
        var target = container[attribute.Name] as JsonObject ?? new JsonObject();
        SetSub(target, sub, normalized);
        if (target.Count == 0)
            container.Remove(attribute.Name);
        else if (target.Parent is null)
            container[attribute.Name] = target;
    }

    private static void ApplyFiltered(JsonObject container, PatchOp op, PatchPath path, JsonNode? value)
    {
        var attribute = path.Attribute!;
        var elements = container[attribute.Name] as JsonArray ?? [];
        var matches = elements.OfType<JsonObject>().Where(e => Matches(e, path.Filter)).ToList();

        if (op == PatchOp.Remove)
        {
            if (path.SubAttribute is null)
                matches.ForEach(m => elements.Remove(m));
            else
                matches.ForEach(m => m.Remove(path.SubAttribute.Name));
        }
        else if (path.SubAttribute is not null)
        {
            var normalized = AttributeValues.Normalize(path.SubAttribute, value?.DeepClone(), $"{attribute.Name}.{path.SubAttribute.Name}");
            if (matches.Count == 0 && normalized is not null)
            {
                var created = ElementFromFilter(attribute, path.Filter); // R-PAT-5: the filter names the new element
                SetSub(created, path.SubAttribute, normalized);
                elements.Add(created);
            }
            foreach (var match in matches)
                SetSub(match, path.SubAttribute, normalized);
        }
        else
        {
            var replacement = AttributeValues.Normalize(attribute, value?.DeepClone(), attribute.Name) as JsonArray;
            var fields = replacement?.FirstOrDefault() as JsonObject;
            if (matches.Count == 0)
            {
                if (op == PatchOp.Replace)
                    throw ScimException.NoTarget($"No value of '{attribute.Name}' matches the filter.");
                var created = ElementFromFilter(attribute, path.Filter);
                foreach (var (key, child) in fields ?? [])
                    created[key] = child!.DeepClone();
                elements.Add(created);
            }
            foreach (var match in matches)
            {
                foreach (var (key, child) in fields ?? [])
                    match[key] = child!.DeepClone();
            }
        }

        if (elements.Count == 0)
            container.Remove(attribute.Name);
        else if (elements.Parent is null)
            container[attribute.Name] = elements;
    }

    private static bool Matches(JsonObject element, IReadOnlyList<FilterComparison> filter) =>
        filter.All(term => element[term.AttributePath] is JsonValue v
            && string.Equals(v.ToString(), term.Value, StringComparison.OrdinalIgnoreCase));

    private static JsonObject ElementFromFilter(AttributeDefinition attribute, IReadOnlyList<FilterComparison> filter)
    {
        var element = new JsonObject();
        foreach (var term in filter)
        {
            var sub = attribute.Find(term.AttributePath)!;
            element[sub.Name] = sub.Type == AttributeType.Boolean ? JsonValue.Create(bool.Parse(term.Value!)) : JsonValue.Create(term.Value);
        }
        return element;
    }

    private static void SetSub(JsonObject element, AttributeDefinition sub, JsonNode? value)
    {
        if (value is null)
            element.Remove(sub.Name);
        else
            element[sub.Name] = value.DeepClone();
    }
}
