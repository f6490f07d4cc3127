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

    public async Task<ScimResponse> CreateAsync(ScimRequest request)
    {
        var (attributes, members) = GroupResource.FromBody(request.Profile, request.Body);
        if (Current is not null)
            throw ScimException.Uniqueness();
        await SpendMembershipBudgetAsync(members.Count);
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var created = new GroupState(1, now, now, Render(attributes, now, now));
        await WriteAsync(() => store.InsertGroupAsync(Partition, Row(created, attributes), members, options.Value.GroupQuota, Audit("CreateGroup")));
        Created(created);
        return await PresentAsync(request, created);
    }

    public async Task<ScimResponse> GetAsync(ScimRequest request)
    {
        await LoadAsync();
        var current = Existing();
        return ETags.NotModified(request, current.Version)
            ? new ResourceView(request, ResourceType.Group).Bodiless(Id, current.Version, notModified: true) // R-ETAG-3
            : await PresentAsync(request, current);
    }

    public async Task<ScimResponse> ReplaceAsync(ScimRequest request)
    {
        if (!request.Profile.PutGroups)
            throw ScimException.InvalidSyntax("PUT is not supported on Groups; use PATCH."); // R-CRUD-5 [AWS]
        var (attributes, members) = GroupResource.FromBody(request.Profile, request.Body);
        await LoadAsync();
        ETags.CheckIfMatch(request, Existing().Version);
        return await PresentAsync(request, await UpdateAsync(attributes, MemberPlan.Replacing(members), "ReplaceGroup"));
    }

    public async Task<ScimResponse> PatchAsync(ScimRequest request)
    {
        var operations = PatchRequest.Parse(request.Profile, request.Body);
        await LoadAsync();
        ETags.CheckIfMatch(request, Existing().Version);
        var (attributes, members) = GroupPatch.Apply(request.Profile, Existing().Attributes, operations);
        var patched = await UpdateAsync(attributes, members, "PatchGroup");
        return request.Profile.GroupPatchAnswersResource
            ? await PresentAsync(request, patched)
            : new ResourceView(request, ResourceType.Group).Bodiless(Id, patched.Version); // R-PAT-4
    }

    /// <summary>
    /// Writes the group's attributes and membership changes in one transaction. Nothing changes, version and
    /// lastModified included, when neither do (R-META-4): adding a member again or removing a non-member is
    /// no change (R-PAT-5), which the store finds as it writes the edges.
    /// </summary>
    private async Task<GroupState> UpdateAsync(JsonObject attributes, MemberPlan plan, string action)
    {
        var current = Existing();
        var currentAttributes = current.Attributes;
        var members = plan.Against(plan.ReplacesAll ? await MemberIdsAsync() : null);
        var attributesChanged = !JsonNode.DeepEquals(attributes, currentAttributes);
        if (!attributesChanged && members.IsEmpty)
            return current;
        await SpendMembershipBudgetAsync(members.Add.Count + members.Remove.Count);
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var next = new GroupState(current.Version + 1, current.Created, now, Render(attributes, current.Created, now));
        var changed = false;
        await WriteAsync(async () => changed = await store.UpdateGroupAsync(Partition, Id, Row(next, attributes, KeysOf(currentAttributes)), members,
            attributesChanged, Audit(action)));
        if (changed)
            Current = next;
        return Current!;
    }

    /// <summary>The group as the request's profile shows it; its members are read only where shown (R-GRP-4).</summary>
    private async Task<ScimResponse> PresentAsync(ScimRequest request, GroupState group)
    {
        var view = new ResourceView(request, ResourceType.Group);
        return view.Present(Id, group.Version, group.Json, view.ShowsMemberships ? await MemberIdsAsync() : null);
    }

    private async Task<IReadOnlyList<string>> MemberIdsAsync() => (await store.MembersOfAsync(Partition, [Id])).Select(m => m.UserId).ToList();

    public async Task DeleteAsync(ScimRequest? request = null)
    {
        await LoadAsync();
        ETags.CheckIfMatch(request, Existing().Version);
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
        var rates = GrainFactory.Reference<ITenantRateGrain>(Partition.TenantId);
        if (await rates.TryTakeAsync(RateKind.MembershipChange, changes) is { } retryAfter)
            throw ScimException.Throttled(retryAfter);
    }

    private AuditEntry Audit(string action) => AuditContext.Entry(time, action, $"Group/{Id}");

    private GroupState Existing() => Current ?? throw ScimException.NotFound($"Group {Id} not found.");

    private ScimJson Render(JsonObject attributes, DateTimeOffset created, DateTimeOffset lastModified) =>
        ResourceJson.Render("Group", Id, attributes, created, lastModified, ScimSchemaUris.Group, null, emptyMembers: true);

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
