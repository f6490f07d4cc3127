using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Groups;

/// <remarks>Idle users and groups leave memory after five minutes; the store has them.</remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed class GroupGrain(IDirectoryStore store, TimeProvider time, IOptions<DirectoryOptions> options) : Grain, IGroupGrain
{
    private string _tenantId = "";
    private string _id = "";
    private GroupState? _group;
    private bool _loaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _id) = ResourceKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>Reads the group on its first call but a create (see UserGrain.LoadAsync).</summary>
    private async ValueTask LoadAsync()
    {
        if (_loaded)
            return;
        var stored = await store.GetGroupAsync(_tenantId, _id);
        if (stored is not null)
            _group = new GroupState(stored.Version, stored.Created, stored.LastModified, stored.Json);
        _loaded = true;
    }

    public async Task<string> CreateAsync(string body)
    {
        var (attributes, members) = GroupResource.FromBody(body);
        if (_group is not null)
            throw ScimException.Uniqueness();
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var created = new GroupState(1, now, now, Render(attributes, now, now));
        await WriteAsync(() => store.InsertGroupAsync(_tenantId, Row(created, attributes), members, options.Value.GroupQuota, Audit("CreateGroup")));
        (_group, _loaded) = (created, true);
        return created.Json;
    }

    public async Task<string> GetAsync()
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
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var next = new GroupState(current.Version + 1, current.Created, now, Render(attributes, current.Created, now));
        await WriteAsync(() => store.UpdateGroupAsync(_tenantId, _id, Row(next, attributes), members, Audit("PatchGroup")));
        _group = next;
    }

    public async Task DeleteAsync()
    {
        await LoadAsync();
        Existing();
        var keepAssignments = await GrainFactory.GetGrain<IDirectoryGrain>(DirectoryPartition.TenantOf(_tenantId)).KeepsAssignmentsOfDeletedAsync();
        await store.DeleteGroupAsync(_tenantId, _id, Audit("DeleteGroup"), keepAssignments);
        _group = null;
    }

    private AuditEntry Audit(string action) => AuditContext.Entry(time, action, $"Group/{_id}");

    private GroupState Existing() => _group ?? throw ScimException.NotFound($"Group {_id} not found.");

    private string Render(JsonObject attributes, DateTimeOffset created, DateTimeOffset lastModified) =>
        ResourceJson.Render("Group", _id, attributes, created, lastModified, ScimSchemas.Group, null, emptyMembers: true);

    private GroupRow Row(GroupState group, JsonObject attributes) => new(_id, attributes["displayName"]!.GetValue<string>().ToLowerInvariant(),
        attributes["externalId"]?.GetValue<string>(), group.Version, group.Created, group.LastModified, group.Json);

    private Task WriteAsync(Func<Task> write) => StoreWrites.RunAsync(write, "group", DeactivateOnIdle); // stale: reload on the next call

    /// <summary>Only the rendered resource is kept (see UserGrain); attributes are parsed again for a write.</summary>
    private sealed record GroupState(long Version, DateTimeOffset Created, DateTimeOffset LastModified, string Json)
    {
        public JsonObject Attributes
        {
            get
            {
                var attributes = ResourceJson.Attributes(Json);
                attributes.Remove("members");
                return attributes;
            }
        }
    }
}
