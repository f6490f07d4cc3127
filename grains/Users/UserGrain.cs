using System.Text.Json.Nodes;
using IdentityDirectory.Directory;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Sessions;
using IdentityDirectory.Store;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Users;

/// <remarks>Idle users and groups leave memory after five minutes; the store has them.</remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed class UserGrain(IDirectoryStore store, TimeProvider time, IOptions<DirectoryOptions> options, DeletionRules deletionRules)
    : ResourceGrain<UserState>, IUserGrain
{
    protected override async Task<UserState?> ReadAsync() =>
        await store.GetUserAsync(Partition, Id) is { } stored
            ? new UserState(stored.Version, stored.Created, stored.LastModified, new ScimJson(stored.Json), stored.SignedIn)
            : null;

    public async Task<ScimResponse> CreateAsync(ScimRequest request)
    {
        var attributes = UserResource.FromBody(request.Profile, request.Body, isCreate: true);
        if (Current is not null)
            throw ScimException.Uniqueness();
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var created = new UserState(1, now, now, Render(attributes, now, now));
        await WriteAsync(() => store.InsertUserAsync(Partition, Row(created, attributes), options.Value.UserQuota, Audit("CreateUser")));
        Created(created);
        return await PresentAsync(request, created);
    }

    public async Task<ScimResponse> GetAsync(ScimRequest request)
    {
        await LoadAsync();
        var current = Existing();
        return ETags.NotModified(request, current.Version)
            ? new ResourceView(request, ResourceType.User).Bodiless(Id, current.Version, notModified: true) // R-ETAG-3
            : await PresentAsync(request, current);
    }

    public async Task<ScimResponse> ReplaceAsync(ScimRequest request)
    {
        var attributes = UserResource.FromBody(request.Profile, request.Body, isCreate: false);
        await LoadAsync();
        ETags.CheckIfMatch(request, Existing().Version);
        return await PresentAsync(request, await UpdateAsync(Existing().Attributes, attributes, "ReplaceUser"));
    }

    public async Task<ScimResponse> PatchAsync(ScimRequest request)
    {
        var operations = PatchRequest.Parse(request.Profile, request.Body);
        await LoadAsync();
        ETags.CheckIfMatch(request, Existing().Version);
        var currentAttributes = Existing().Attributes;
        var patched = await UpdateAsync(currentAttributes, UserResource.Patch(request.Profile, currentAttributes, operations), "PatchUser");
        return request.Profile.UserPatchAnswersResource
            ? await PresentAsync(request, patched)
            : new ResourceView(request, ResourceType.User).Bodiless(Id, patched.Version); // R-PAT-3
    }

    private async Task<UserState> UpdateAsync(JsonObject currentAttributes, JsonObject attributes, string action)
    {
        var current = Existing();
        if (JsonNode.DeepEquals(attributes, currentAttributes))
            return current; // R-META-4: no effective change, lastModified stays
        var now = ResourceJson.Truncate(time.GetUtcNow());
        var next = new UserState(current.Version + 1, current.Created, now, Render(attributes, current.Created, now), current.SignedIn);
        var (wasActive, isActive) = (IsActive(currentAttributes), IsActive(attributes));
        if (wasActive && !isActive && current.SignedIn)
            await Sessions().UserEndedAsync(deleted: false); // S-2
        await WriteAsync(() => store.UpdateUserAsync(Partition, Row(next, attributes, UserResource.KeysOf(currentAttributes)), Audit(action)));
        if (!wasActive && isActive && current.SignedIn)
            await Sessions().UserReenabledAsync();
        Current = next;
        return next;
    }

    /// <summary>The user as the request's profile shows it; the groups it belongs to are read only where shown (R-USR-2).</summary>
    private async Task<ScimResponse> PresentAsync(ScimRequest request, UserState user)
    {
        var view = new ResourceView(request, ResourceType.User);
        var groups = view.ShowsMemberships ? (await store.GroupsOfAsync(Partition, [Id])).Select(m => m.GroupId).ToList() : null;
        return view.Present(Id, user.Version, user.Json, groups);
    }

    public async Task DeleteAsync(ScimRequest? request = null)
    {
        await LoadAsync();
        var current = Existing();
        ETags.CheckIfMatch(request, current.Version);
        // Sessions learn first: should the delete fail, a retry still finds the user, while the
        // reverse order could leave sessions of a deleted user running to their full length.
        if (current.SignedIn)
            await Sessions().UserEndedAsync(deleted: true); // S-2, S-5
        var keepAssignments = await deletionRules.KeepsAssignmentsAsync(Partition);
        await store.DeleteUserAsync(Partition, Id, Audit("DeleteUser"), keepAssignments);
        Current = null;
    }

    public async Task RevokeSessionsAsync()
    {
        await LoadAsync();
        if (Current is null)
            throw new ScimException(409, null, "The user does not exist (any more); its sessions end on their own within two hours.");
        await Sessions().RevokeAllAsync();
    }

    public async Task<SessionInfo> SignInAsync()
    {
        await LoadAsync();
        if (Current is null || !IsActive(Current.Attributes))
            throw new ScimException(403, null, "The user cannot sign in."); // S-1
        if (!Current.SignedIn)
        {
            await store.MarkSignedInAsync(Partition, Id);
            Current = Current with { SignedIn = true };
        }
        var settings = await Directory().GetSettingsAsync();
        return await Sessions().StartAsync(settings.SessionDuration);
    }

    private static bool IsActive(JsonObject attributes) => attributes["active"]?.GetValue<bool>() != false;

    private ISessionGrain Sessions() => GrainFactory.Reference<ISessionGrain>(this.GetPrimaryKeyString());

    private AuditEntry Audit(string action) => AuditContext.Entry(time, action, $"User/{Id}");

    private UserState Existing() => Current ?? throw ScimException.NotFound($"User {Id} not found.");

    private ScimJson Render(JsonObject attributes, DateTimeOffset created, DateTimeOffset lastModified) =>
        ResourceJson.Render("User", Id, attributes, created, lastModified, ScimSchemaUris.User, ScimSchemaUris.EnterpriseUser);

    /// <param name="keysBefore">the indexed keys of the stored row, for an update; the store rewrites them only when they changed.</param>
    private UserRow Row(UserState user, JsonObject attributes, UserKeys? keysBefore = null)
    {
        var keys = UserResource.KeysOf(attributes);
        return new(Id, keys, user.Version, user.Created, user.LastModified, user.Json.Utf8, SearchDocument.Of(attributes, FilterScope.Users),
            KeysChanged: keys != keysBefore);
    }

    private Task WriteAsync(Func<Task> write) => StoreWrites.RunAsync(write, "user", DeactivateOnIdle); // stale: reload on the next call
}
