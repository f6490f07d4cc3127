using System.Text.Json.Nodes;

namespace IdentityDirectory.Scim;

/// <summary>One operation on one attribute path, after a pathless value has been split into one per key.</summary>
public sealed record PatchTarget(PatchOp Op, PatchPath Path, JsonNode? Value);

/// <summary>
/// Applies PatchOp operations to a copy of a user or group (R-PAT-2, R-PAT-5..9, R-PAT-14): every
/// operation in order; the caller then checks the whole resource and commits the copy only when all of
/// it succeeded. What the profile restricts (R-PAT-10) it reads from the profile.
/// </summary>
public static class ResourcePatch
{
    /// <summary>
    /// The operations of a request as targeted ones: a pathless add/replace becomes one per key (R-PAT-7),
    /// extension keys included; the profile's once-per-request attributes are checked (R-PAT-10).
    /// </summary>
    public static IReadOnlyList<PatchTarget> Targets(WireProfile profile, ResourceType type, IReadOnlyList<PatchOperation> operations)
    {
        var (core, extension) = (profile.CoreOf(type), profile.ExtensionOf(type));
        var targets = operations.SelectMany(operation => Expand(operation, core, extension)).ToList();
        foreach (var name in profile.PatchOncePerRequest)
        {
            if (targets.Count(t => t.Path.Schema == core && t.Path.Attribute?.Name == name) > 1)
                throw ScimException.InvalidValue($"A request may hold only one operation on '{name}'.");
        }
        return targets;
    }

    /// <summary>The resource after <paramref name="targets"/>, in canonical form; <paramref name="current"/> is left as it is.</summary>
    public static JsonObject Apply(WireProfile profile, ResourceType type, JsonObject current, IEnumerable<PatchTarget> targets)
    {
        var (core, extension) = (profile.CoreOf(type), profile.ExtensionOf(type));
        var resource = (JsonObject)current.DeepClone();
        var applier = new Applier(profile, extension);
        foreach (var target in targets)
            applier.ApplyOne(resource, target.Op, target.Path, target.Value);
        return ResourceBody.Normalize(profile, resource, core, extension); // canonical order and values again
    }

    private static IEnumerable<PatchTarget> Expand(PatchOperation operation, SchemaDefinition core, SchemaDefinition? extension)
    {
        if (operation.Path is not null)
        {
            yield return new PatchTarget(operation.Op, PatchPath.Parse(operation.Path, core, extension), operation.Value);
            yield break;
        }
        foreach (var (key, value) in PatchRequest.PathlessValues(operation))
        {
            if (extension is not null && key.Equals(extension.Id, StringComparison.OrdinalIgnoreCase) && value is JsonObject extensionValues)
            {
                foreach (var (name, child) in extensionValues)
                    yield return new PatchTarget(operation.Op, PatchPath.Parse($"{extension.Id}:{name}", core, extension), child);
                continue;
            }
            yield return new PatchTarget(operation.Op, PatchPath.Parse(key, core, extension), value);
        }
    }

    private sealed class Applier(WireProfile profile, SchemaDefinition? extension)
    {
        public void ApplyOne(JsonObject resource, PatchOp op, PatchPath path, JsonNode? value)
        {
            if (path.IsExtensionRoot)
            {
                if (op == PatchOp.Remove)
                    resource.Remove(extension!.Id);
                else if (ResourceBody.NormalizeExtension(profile, extension!, value?.DeepClone()) is { } values)
                {
                    foreach (var (name, child) in values.ToList())
                        ApplyOne(resource, op, path with { Attribute = extension!.Find(name) }, child?.DeepClone());
                }
                return;
            }

            var attribute = path.Attribute!;
            if (attribute.Support == AttributeSupport.Ignored)
                return;
            Refuse(attribute, attribute.Name);
            if (path.SubAttribute is { } sub)
                Refuse(sub, path.Display);

            var container = path.Schema == extension ? ExtensionOf(resource) : resource;
            var primaries = Primaries(container, attribute);
            if (path.Filter.Count > 0)
                ApplyFiltered(container, op, path, value);
            else if (path.SubAttribute is not null)
                ApplySubAttribute(container, op, attribute, path.SubAttribute, value);
            else
                ApplyWhole(container, op, attribute, value);
            ClearReplacedPrimaries(container, attribute, primaries);

            if (path.Schema == extension && container.Count == 0)
                resource.Remove(extension.Id);
        }

        /// <summary>R-PAT-9 (server-owned: mutability), R-USR-4 and R-PAT-10 (refused or not patchable in the profile).</summary>
        private static void Refuse(AttributeDefinition attribute, string path)
        {
            switch (attribute.Support)
            {
                case AttributeSupport.ServerOwned:
                    throw ScimException.Mutability($"Attribute '{path}' is read-only.");
                case AttributeSupport.Rejected:
                case AttributeSupport.NotPatchable:
                    throw ScimException.InvalidValue($"Attribute '{path}' cannot be modified by PATCH.");
            }
        }

        private JsonObject ExtensionOf(JsonObject resource)
        {
            if (resource[extension!.Id] is JsonObject existing)
                return existing;
            var created = new JsonObject();
            resource[extension.Id] = created;
            return created;
        }

        /// <summary>The values of a multi-valued attribute that are primary before an operation.</summary>
        private static List<JsonObject> Primaries(JsonObject container, AttributeDefinition attribute) =>
            attribute.MultiValued && container[attribute.Name] is JsonArray values
                ? values.OfType<JsonObject>().Where(MultiValuedRules.IsPrimary).ToList()
                : [];

        /// <summary>RFC 7644 §3.5.2, R-USR-7: an operation that makes a value primary makes the values that were primary not so.</summary>
        private static void ClearReplacedPrimaries(JsonObject container, AttributeDefinition attribute, List<JsonObject> before)
        {
            if (Primaries(container, attribute) is not { Count: > 0 } after || after.All(before.Contains))
                return;
            foreach (var old in after.Where(before.Contains))
                old["primary"] = false;
        }

        private void ApplyWhole(JsonObject container, PatchOp op, AttributeDefinition attribute, JsonNode? value)
        {
            if (op == PatchOp.Remove)
            {
                if (attribute.Required || profile.PatchUnremovable.Contains(attribute.Name))
                    throw ScimException.Mutability($"Attribute '{attribute.Name}' is required and cannot be removed.");
                if (attribute.MultiValued && AttributeValues.Normalize(profile, attribute, value?.DeepClone(), attribute.Name) is JsonArray toRemove
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

            var normalized = AttributeValues.Normalize(profile, attribute, value?.DeepClone(), attribute.Name);
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

        private void ApplySubAttribute(JsonObject container, PatchOp op, AttributeDefinition attribute, AttributeDefinition sub, JsonNode? value)
        {
            if (op == PatchOp.Remove && sub.Required)
                throw ScimException.Mutability($"Attribute '{attribute.Name}.{sub.Name}' is required and cannot be removed.");
            var normalized = op == PatchOp.Remove ? null : AttributeValues.Normalize(profile, sub, value?.DeepClone(), $"{attribute.Name}.{sub.Name}");
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

        private void ApplyFiltered(JsonObject container, PatchOp op, PatchPath path, JsonNode? value)
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
                var normalized = AttributeValues.Normalize(profile, path.SubAttribute, value?.DeepClone(), $"{attribute.Name}.{path.SubAttribute.Name}");
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
                var replacement = AttributeValues.Normalize(profile, attribute, value?.DeepClone(), attribute.Name) as JsonArray;
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
}
