using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Throttling;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Groups;

/// <remarks>Idle users and groups leave memory after five minutes; the store has them.</remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed class GroupGrain(IDirectoryStore store, TimeProvider time, IOptions<DirectoryOptions> options, DeletionRules deletionRules)
    : ResourceGrain<GroupState>, IGroupGrain
{
    protected override async Task<GroupState?> ReadAsync() =>
        await store.GetGroupAsync(Partition, Id) is { } stored
            ? new GroupState(stored.Version, stored.Created, stored.LastModified, new ScimJson(stored.Json))
            : null;

    public async Task<ScimJson> CreateAsync(string body)
    {
        var (attributes, members) = GroupResource.FromBody(body);
        if (Current is not null)
            throw ScimException.Uniqueness();
        await SpendMembershipBudgetAsync(members.Count);
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var created = new GroupState(1, now, now, Render(attributes, now, now));
        await WriteAsync(() => store.InsertGroupAsync(Partition, Row(created, attributes), members, options.Value.GroupQuota, Audit("CreateGroup")));
        Created(created);
        return created.Json;
    }

    public async Task<ScimJson> GetAsync()
    {
        await LoadAsync();
        return Existing().Json;
    }

    public async Task PatchAsync(string body)
    {
        var operations = PatchRequest.Parse(body);
        await LoadAsync();
        var current = Existing();
        var currentAttributes = current.Attributes;
        var (attributes, members) = GroupPatch.Apply(currentAttributes, operations);
        var attributesChanged = !JsonNode.DeepEquals(attributes, currentAttributes);
        if (!attributesChanged && members.IsEmpty)
            return;
        await SpendMembershipBudgetAsync(members.Add.Count + members.Remove.Count);
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var next = new GroupState(current.Version + 1, current.Created, now, Render(attributes, current.Created, now));
        await WriteAsync(() => store.UpdateGroupAsync(Partition, Id, Row(next, attributes, KeysOf(currentAttributes)), members, Audit("PatchGroup")));
        Current = next;
    }

    public async Task DeleteAsync()
    {
        await LoadAsync();
        Existing();
        var keepAssignments = await deletionRules.KeepsAssignmentsAsync(Partition);
        await store.DeleteGroupAsync(Partition, Id, Audit("DeleteGroup"), keepAssignments);
        Current = null;
    }

    /// <summary>
    /// A SCIM request's membership changes spend the tenant's membership budget (R-GEN-7) before anything is
    /// written; the operator's manual changes (O-4) are not SCIM traffic and spend none.
    /// </summary>
    private async Task SpendMembershipBudgetAsync(int changes)
    {
        if (changes == 0 || !AuditContext.ActsWithScimToken)
            return;
        var rates = GrainFactory.GetGrain<ITenantRateGrain>(DirectoryPartition.TenantOf(Partition));
        if (await rates.TryTakeAsync(RateKind.MembershipChange, changes) is { } retryAfter)
            throw ScimException.Throttled(retryAfter);
    }

    private AuditEntry Audit(string action) => AuditContext.Entry(time, action, $"Group/{Id}");

    private GroupState Existing() => Current ?? throw ScimException.NotFound($"Group {Id} not found.");

    private ScimJson Render(JsonObject attributes, DateTimeOffset created, DateTimeOffset lastModified) =>
        ResourceJson.Render("Group", Id, attributes, created, lastModified, ScimSchemas.Group, null, emptyMembers: true);

    /// <param name="keysBefore">the indexed keys of the stored row, for an update; the store rewrites them only when they changed.</param>
    private GroupRow Row(GroupState group, JsonObject attributes, (string DisplayNameLower, string? ExternalId)? keysBefore = null)
    {
        var keys = KeysOf(attributes);
        return new(Id, keys.DisplayNameLower, keys.ExternalId, group.Version, group.Created, group.LastModified, group.Json.Utf8,
            SearchDocument.Of(attributes, FilterScope.Groups), KeysChanged: keys != keysBefore);
    }

    private static (string DisplayNameLower, string? ExternalId) KeysOf(JsonObject attributes) =>
        (attributes["displayName"]!.GetValue<string>().ToLowerInvariant(), attributes["externalId"]?.GetValue<string>());

    private Task WriteAsync(Func<Task> write) => StoreWrites.RunAsync(write, "group", DeactivateOnIdle); // stale: reload on the next call
}
