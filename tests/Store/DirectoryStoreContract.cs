using System.Text.Json.Nodes;
using IdentityDirectory.Assignments;
using IdentityDirectory.Directory;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Infrastructure;
using static IdentityDirectory.Tests.Store.StoreRows;

namespace IdentityDirectory.Tests.Store;

/// <summary>What every directory store does, whatever its engine: run by <see cref="SqliteStoreContractTests"/> and <see cref="PostgresStoreContractTests"/>.</summary>
public abstract class DirectoryStoreContract(StoreEngine engine)
{
    private IDirectoryStore Store => engine.Store;

    // Rule R-CRUD-3: a resource reads back as it was written, at once.
    [Fact]
    public async Task AUserAndAGroupReadBackAsTheyWereWritten()
    {
        var partition = NewPartition();
        var user = NewUser("u1", "ruth@x.com");
        await Store.InsertUserAsync(partition, user, 10, CreateUserAudit("u1"));
        await Store.InsertGroupAsync(partition, NewGroup("g1", "Admins"), [], 10, Audit("CreateGroup", "Group/g1"));

        var stored = await Store.GetUserAsync(partition, "u1");
        Assert.NotNull(stored);
        Assert.Equal(("u1", 1L, At, At, false), (stored.Id, stored.Version, stored.Created, stored.LastModified, stored.SignedIn));
        Assert.Equal(user.Json, stored.Json);
        Assert.Equal(NewGroup("g1", "Admins").Json, (await Store.GetGroupAsync(partition, "g1"))!.Json);

        Assert.Null(await Store.GetUserAsync(partition, "nobody"));
        Assert.Null(await Store.GetGroupAsync(partition, "u1"));
        Assert.Null(await Store.GetUserAsync(NewPartition(), "u1")); // DESIGN §4: another tenant's rows are not there
    }

    // Rules R-USR-8, P-1: userName, externalId and primary email are unique in a directory, and the refusal names the attribute.
    [Fact]
    public async Task ATakenUserNameExternalIdOrEmailIsRefusedNamingTheAttribute()
    {
        var partition = NewPartition();
        await Store.InsertUserAsync(partition, NewUser("u1", "ruth@x.com"), 10, CreateUserAudit("u1"));

        Assert.Equal("userName", await RefusedAttributeAsync(NewUser("u2", "ruth@x.com") with { Keys = new("ruth@x.com", "e2", "other@x.com", null) }));
        Assert.Equal("externalId", await RefusedAttributeAsync(NewUser("u2", "two@x.com") with { Keys = new("two@x.com", "ext-u1", "two@x.com", null) }));
        Assert.Equal("emails", await RefusedAttributeAsync(NewUser("u2", "two@x.com") with { Keys = new("two@x.com", "e2", "ruth@x.com", null) }));
        Assert.Equal("id", await RefusedAttributeAsync(NewUser("u1", "two@x.com") with { Keys = new("two@x.com", "e2", "two@x.com", null) }));

        // The same values in another directory are free (DESIGN §4, isolation); users without externalId or email do not clash.
        await Store.InsertUserAsync(NewPartition(), NewUser("u1", "ruth@x.com"), 10, CreateUserAudit("u1"));
        await Store.InsertUserAsync(partition, NewUser("u3", "three@x.com") with { Keys = new("three@x.com", null, null, null) }, 10, CreateUserAudit("u3"));
        await Store.InsertUserAsync(partition, NewUser("u4", "four@x.com") with { Keys = new("four@x.com", null, null, null) }, 10, CreateUserAudit("u4"));

        async Task<string> RefusedAttributeAsync(UserRow row) =>
            (await Assert.ThrowsAsync<UniqueConstraintException>(() => Store.InsertUserAsync(partition, row, 10, CreateUserAudit(row.Id)))).Attribute;
    }

    // Rule R-GRP-2: a group's displayName (lower-cased by the product) and externalId are unique in a directory.
    [Fact]
    public async Task ATakenGroupDisplayNameOrExternalIdIsRefusedNamingTheAttribute()
    {
        var partition = NewPartition();
        await Store.InsertGroupAsync(partition, NewGroup("g1", "Admins"), [], 10, Audit("CreateGroup", "Group/g1"));

        var byName = await Assert.ThrowsAsync<UniqueConstraintException>(() =>
            Store.InsertGroupAsync(partition, NewGroup("g2", "ADMINS"), [], 10, Audit("CreateGroup", "Group/g2")));
        var byExternalId = await Assert.ThrowsAsync<UniqueConstraintException>(() =>
            Store.InsertGroupAsync(partition, NewGroup("g2", "Other") with { ExternalId = "ext-g1" }, [], 10, Audit("CreateGroup", "Group/g2")));
        var renamed = NewGroup("g3", "Third");
        await Store.InsertGroupAsync(partition, renamed, [], 10, Audit("CreateGroup", "Group/g3"));
        var byRename = await Assert.ThrowsAsync<UniqueConstraintException>(() =>
            Store.UpdateGroupAsync(partition, "g3", renamed with { DisplayNameLower = "admins", Version = 2 }, new([], []), attributesChanged: true, Audit("PatchGroup", "Group/g3")));

        Assert.Equal(["displayName", "externalId", "displayName"], [byName.Attribute, byExternalId.Attribute, byRename.Attribute]);
        Assert.Null(await Store.GetGroupAsync(partition, "g2"));
        Assert.Equal(1, (await Store.GetGroupAsync(partition, "g3"))!.Version);
    }

    // DESIGN §2: a write replaces the version it read; a write on a stale version changes nothing.
    [Fact]
    public async Task AnUpdateAppliesOnlyToTheVersionItFollows()
    {
        var partition = NewPartition();
        await Store.InsertUserAsync(partition, NewUser("u1", "one@x.com"), 10, CreateUserAudit("u1"));
        var second = NewUser("u1", "one@x.com") with { Version = 2, LastModified = At.AddMinutes(1), Json = Json("u1", "second"), KeysChanged = false };

        await Store.UpdateUserAsync(partition, second, Audit("PatchUser", "User/u1"));
        await Assert.ThrowsAsync<StaleWriteException>(() =>
            Store.UpdateUserAsync(partition, second with { Json = Json("u1", "lost") }, Audit("PatchUser", "User/u1")));
        await Assert.ThrowsAsync<StaleWriteException>(() =>
            Store.UpdateUserAsync(partition, NewUser("nobody", "n@x.com") with { Version = 2 }, Audit("PatchUser", "User/nobody")));

        var stored = (await Store.GetUserAsync(partition, "u1"))!;
        Assert.Equal((2L, At.AddMinutes(1)), (stored.Version, stored.LastModified));
        Assert.Equal(Json("u1", "second"), stored.Json);
        Assert.Equal(2, (await Store.ListAuditAsync(partition.TenantId, 0, 10)).Count); // the refused updates left no record (O-5)
    }

    // Rules R-USR-8, P-4: renaming a user frees its old userName and email and takes the new ones; its id stays.
    [Fact]
    public async Task ARenameFreesTheOldKeysAndTakesTheNewOnes()
    {
        var partition = NewPartition();
        await Store.InsertUserAsync(partition, NewUser("u1", "old@x.com"), 10, CreateUserAudit("u1"));
        var renamed = NewUser("u1", "new@x.com") with { Version = 2 };

        await Store.UpdateUserAsync(partition, renamed, Audit("PatchUser", "User/u1"));

        await Store.InsertUserAsync(partition, NewUser("u2", "old@x.com"), 10, CreateUserAudit("u2"));
        await Assert.ThrowsAsync<UniqueConstraintException>(() => Store.InsertUserAsync(partition, NewUser("u3", "new@x.com"), 10, CreateUserAudit("u3")));
        Assert.Equal(["u1"], Ids(await Store.QueryUsersAsync(partition, UsersWhere("userName eq \"NEW@x.com\""), Index())));
    }

    // Rules O-5, R-AWS-1: a refused write leaves neither an audit record nor a count behind; the writes beside it commit.
    [Fact]
    public async Task ARefusedWriteAmongConcurrentOnesChangesNothingWhileTheOthersCommit()
    {
        var partition = NewPartition();
        // Every fourth create reuses the userName of the create queued just before it.
        var creates = Enumerable.Range(0, 120).Select(i => (Id: $"user-{i}", UserName: i % 4 == 3 ? $"u{i - 1}@x.com" : $"u{i}@x.com")).ToList();

        var outcomes = await Task.WhenAll(creates.Select(c => OutcomeOf(Store.InsertUserAsync(partition, NewUser(c.Id, c.UserName), 1_000, CreateUserAudit(c.Id)))));

        // Of each create and the one that reused its userName, exactly one won; every other create committed.
        for (var i = 0; i < creates.Count; i++)
        {
            var stored = await Store.GetUserAsync(partition, creates[i].Id) is not null;
            Assert.True(stored == outcomes[i] is null, $"{creates[i].Id}: {outcomes[i]}");
            if (i % 4 == 3)
                Assert.True((outcomes[i - 1], outcomes[i]) is (null, UniqueConstraintException) or (UniqueConstraintException, null), $"{creates[i].Id}: {outcomes[i]}");
            else if (i % 4 != 2)
                Assert.Null(outcomes[i]);
        }
        Assert.Equal(90, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
        Assert.Equal(90, (await Store.ListAuditAsync(partition.TenantId, 0, 1_000)).Count);
    }

    // Rule O-5: every write leaves one audit record, numbered 1, 2, 3 … per tenant over all its directories, readable after a position.
    [Fact]
    public async Task EveryWriteLeavesOneAuditRecordNumberedPerTenant()
    {
        var first = NewPartition();
        var wiped = first with { Generation = 1 };
        var other = NewPartition();
        await Store.AppendAuditAsync(first.TenantId, Audit("CreateTenant", $"Tenant/{first.TenantId}"));
        await Store.InsertUserAsync(first, NewUser("u1", "one@x.com"), 10, CreateUserAudit("u1"));
        await Store.AppendAuditAsync(other.TenantId, Audit("CreateTenant", $"Tenant/{other.TenantId}"));
        await Store.InsertUserAsync(wiped, NewUser("u1", "one@x.com"), 10, CreateUserAudit("u1"));
        await Store.InsertGroupAsync(wiped, NewGroup("g1", "G"), ["u1"], 10, Audit("CreateGroup", "Group/g1"));
        await Store.UpdateGroupAsync(wiped, "g1", NewGroup("g1", "G") with { Version = 2, KeysChanged = false }, new([], ["u1"]), attributesChanged: false, Audit("PatchGroup", "Group/g1"));
        await Store.DeleteUserAsync(wiped, "u1", Audit("DeleteUser", "User/u1"));
        // A delete that finds nothing changes nothing, its audit trail included.
        Assert.False(await Store.DeleteUserAsync(wiped, "u1", Audit("DeleteUser", "User/u1")));
        Assert.False(await Store.DeleteGroupAsync(wiped, "nothing", Audit("DeleteGroup", "Group/nothing")));
        Assert.False(await Store.DeleteAssignmentAsync(wiped, "nothing", Audit("DeleteAssignment", "Assignment/nothing")));

        var trail = await Store.ListAuditAsync(first.TenantId, 0, 100);
        Assert.Equal(
            ["1 CreateTenant", "2 CreateUser", "3 CreateUser", "4 CreateGroup", "5 PatchGroup", "6 DeleteUser"],
            trail.Select(entry => $"{entry.Seq} {entry.Action}"));
        Assert.Equal(("test", "User/u1", "req-User/u1", At), (trail[1].Actor, trail[1].Target, trail[1].RequestId, trail[1].At));
        Assert.Equal([5L, 6L], (await Store.ListAuditAsync(first.TenantId, after: 4, count: 2)).Select(entry => entry.Seq));
        Assert.Equal([1L], (await Store.ListAuditAsync(other.TenantId, 0, 100)).Select(entry => entry.Seq));
    }

    // Rule R-AWS-1: a create past the quota is refused, counted by the store in the create's transaction; a delete frees a place.
    [Fact]
    public async Task ACreatePastTheQuotaIsRefusedAndADeleteFreesAPlace()
    {
        var partition = NewPartition();
        for (var i = 0; i < 3; i++)
            await Store.InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 3, CreateUserAudit($"u{i}"));
        await Store.InsertGroupAsync(partition, NewGroup("g1", "G1"), [], 1, Audit("CreateGroup", "Group/g1"));

        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.InsertUserAsync(partition, NewUser("u3", "u3@x.com"), 3, CreateUserAudit("u3")));
        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.InsertGroupAsync(partition, NewGroup("g2", "G2"), [], 1, Audit("CreateGroup", "Group/g2")));
        Assert.Null(await Store.GetUserAsync(partition, "u3"));

        Assert.True(await Store.DeleteUserAsync(partition, "u0", Audit("DeleteUser", "User/u0")));
        Assert.True(await Store.DeleteGroupAsync(partition, "g1", Audit("DeleteGroup", "Group/g1")));
        await Store.InsertUserAsync(partition, NewUser("u3", "u3@x.com"), 3, CreateUserAudit("u3"));
        await Store.InsertGroupAsync(partition, NewGroup("g2", "G2"), [], 1, Audit("CreateGroup", "Group/g2"));
        Assert.Equal(3, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
        Assert.Equal(1, (await Store.QueryGroupsAsync(partition, ResourceQuery.All, Index())).Total);

        // A quota of 0 admits nothing, not even the directory's first resource.
        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.InsertUserAsync(NewPartition(), NewUser("u1", "u1@x.com"), 0, CreateUserAudit("u1")));
    }

    // Rule O-3: the directory's own quotas win over the product's default, and can be lowered below what it holds.
    [Fact]
    public async Task TheDirectorysOwnQuotaWinsOverTheDefault()
    {
        var partition = NewPartition();
        await Store.SetQuotasAsync(partition, users: 1, groups: 5);
        await Store.InsertUserAsync(partition, NewUser("u1", "u1@x.com"), 100, CreateUserAudit("u1"));
        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.InsertUserAsync(partition, NewUser("u2", "u2@x.com"), 100, CreateUserAudit("u2")));

        await Store.SetQuotasAsync(partition, users: 2, groups: 5);
        await Store.InsertUserAsync(partition, NewUser("u2", "u2@x.com"), 100, CreateUserAudit("u2"));
        await Store.SetQuotasAsync(partition, users: 1, groups: 5);
        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.InsertUserAsync(partition, NewUser("u3", "u3@x.com"), 100, CreateUserAudit("u3")));
        Assert.Equal(2, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
    }

    // Rule O-2: a deleted tenant leaves the registry and the portal map at once, and no user or group is created in any of its directories afterwards.
    [Fact]
    public async Task ADeletedTenantIsUnlistedAndRefusesCreatesInEveryDirectory()
    {
        var partition = NewPartition();
        var neighbour = NewPartition();
        foreach (var tenant in new[] { partition, neighbour })
        {
            await Store.RegisterTenantAsync(tenant.TenantId, At);
            await Store.SetPortalAsync($"d-{tenant.TenantId}", tenant.TenantId);
            await Store.InsertUserAsync(tenant, NewUser("u1", "u1@x.com"), 10, CreateUserAudit("u1"));
        }

        await Store.WithdrawTenantAsync(partition.TenantId);
        await Store.WithdrawTenantAsync(partition.TenantId); // idempotent

        var listed = await AllTenantsAsync();
        Assert.DoesNotContain(partition.TenantId, listed);
        Assert.Contains(neighbour.TenantId, listed);
        Assert.Null(await Store.FindPortalTenantAsync($"d-{partition.TenantId}"));
        foreach (var directory in new[] { partition, partition with { Generation = 3 } })
        {
            await Assert.ThrowsAsync<TenantDeletedException>(() => Store.InsertUserAsync(directory, NewUser("u2", "u2@x.com"), 10, CreateUserAudit("u2")));
            await Assert.ThrowsAsync<TenantDeletedException>(() => Store.InsertGroupAsync(directory, NewGroup("g1", "G"), [], 10, Audit("CreateGroup", "Group/g1")));
        }
        Assert.True(await Store.GetUserAsync(partition, "u1") is not null, "the rows go by the purge, not with the listing");
        await Store.InsertUserAsync(neighbour, NewUser("u2", "u2@x.com"), 10, CreateUserAudit("u2"));
    }

    // Rules R-GRP-6, R-LST-4: deleting a user removes it from every group, whose member counts follow.
    [Fact]
    public async Task DeletingAUserRemovesItFromEveryGroupAndCountsTheGroupsDown()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("a", "A"), ["u1", "u2"], 10, Audit("CreateGroup", "Group/a"));
        await Store.InsertGroupAsync(partition, NewGroup("b", "B"), ["u1"], 10, Audit("CreateGroup", "Group/b"));

        Assert.True(await Store.DeleteUserAsync(partition, "u1", Audit("DeleteUser", "User/u1")));
        Assert.False(await Store.DeleteUserAsync(partition, "u1", Audit("DeleteUser", "User/u1")));

        Assert.Equal("1: u2", await MembersAsync(partition, "a"));
        Assert.Equal("0: ", await MembersAsync(partition, "b"));
        Assert.Equal(0, (await Store.QueryGroupsAsync(partition, GroupsWhere("members eq \"u1\""), Index())).Total);
        Assert.Equal(1, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
    }

    // Rules R-GRP-5, R-LST-4, R-PAT-5, R-META-4: adding a member twice or removing a non-member is a no-op that leaves the count,
    // and the group's version, as they were.
    [Fact]
    public async Task AddingAMemberTwiceOrRemovingANonMemberLeavesTheCountAndTheVersion()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2", "u3");
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), ["u1"], 10, Audit("CreateGroup", "Group/g"));

        var changed = new[]
        {
            await ChangeMembersAsync(partition, "g", 2, new(["u1", "u2"], ["u3"])),
            await ChangeMembersAsync(partition, "g", 3, new(["u2"], ["u3"])),
            // Adding and removing one member in one write: the removal comes last (docs/decisions.md, Group PATCH).
            await ChangeMembersAsync(partition, "g", 3, new(["u3"], ["u3", "u1"])),
        };

        Assert.Equal([true, false, true], changed);
        Assert.Equal("1: u2", await MembersAsync(partition, "g"));
        Assert.Equal(3, (await Store.GetGroupAsync(partition, "g"))!.Version);
    }

    /// <summary>A membership change of the group at <paramref name="version"/>, its attributes unchanged.</summary>
    private Task<bool> ChangeMembersAsync(DirectoryPartition partition, string groupId, long version, MembershipChange members, IDirectoryStore? store = null) =>
        (store ?? Store).UpdateGroupAsync(partition, groupId, NewGroup(groupId, groupId.ToUpperInvariant()) with { Version = version, KeysChanged = false }, members,
            attributesChanged: false, Audit("PatchGroup", $"Group/{groupId}"));

    // Rule R-GRP-5: a member that is not a user of the directory refuses the whole write: no group, no edge, no count, no record.
    [Fact]
    public async Task AnUnknownMemberRefusesTheWholeGroupWrite()
    {
        var partition = NewPartition();
        var elsewhere = NewPartition();
        await InsertUsersAsync(partition, "u1");
        await Store.InsertUserAsync(elsewhere, NewUser("stranger", "s@x.com"), 10, CreateUserAudit("stranger"));
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), [], 10, Audit("CreateGroup", "Group/g"));
        var records = (await Store.ListAuditAsync(partition.TenantId, 0, 100)).Count;

        var created = await Assert.ThrowsAsync<UnknownMemberException>(() =>
            Store.InsertGroupAsync(partition, NewGroup("h", "H"), ["u1", "stranger"], 10, Audit("CreateGroup", "Group/h")));
        var patched = await Assert.ThrowsAsync<UnknownMemberException>(() =>
            Store.UpdateGroupAsync(partition, "g", NewGroup("g", "G2") with { Version = 2 }, new(["u1", "ghost"], []), attributesChanged: true, Audit("PatchGroup", "Group/g")));

        Assert.Equal(["stranger", "ghost"], [created.UserId, patched.UserId]);
        Assert.Null(await Store.GetGroupAsync(partition, "h"));
        Assert.Equal(1, (await Store.GetGroupAsync(partition, "g"))!.Version);
        Assert.Equal("0: ", await MembersAsync(partition, "g"));
        Assert.Equal(1, (await Store.QueryGroupsAsync(partition, ResourceQuery.All, Index())).Total);
        Assert.Equal(records, (await Store.ListAuditAsync(partition.TenantId, 0, 100)).Count);
    }

    // DESIGN §2: membership changes of a group that is gone, or a stale group version, are refused as stale.
    [Fact]
    public async Task AGroupWriteOnAGoneGroupOrAStaleVersionIsRefused()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1");
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), [], 10, Audit("CreateGroup", "Group/g"));

        await Assert.ThrowsAsync<StaleWriteException>(() => ChangeMembersAsync(partition, "g", 3, new(["u1"], [])));
        await Assert.ThrowsAsync<StaleWriteException>(() => ChangeMembersAsync(partition, "gone", 2, new(["u1"], [])));
        await Assert.ThrowsAsync<StaleWriteException>(() => ChangeMembersAsync(partition, "gone", 2, new([], ["u1"])));

        Assert.Equal("0: ", await MembersAsync(partition, "g"));
        Assert.Equal(0, (await Store.QueryGroupsAsync(partition, GroupsWhere("members eq \"u1\""), Index())).Total);
    }

    // Rule R-GRP-6: deleting a group removes its memberships and leaves its users.
    [Fact]
    public async Task DeletingAGroupLeavesItsUsers()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), ["u1", "u2"], 10, Audit("CreateGroup", "Group/g"));

        Assert.True(await Store.DeleteGroupAsync(partition, "g", Audit("DeleteGroup", "Group/g")));
        Assert.False(await Store.DeleteGroupAsync(partition, "g", Audit("DeleteGroup", "Group/g")));

        Assert.Null(await Store.GetGroupAsync(partition, "g"));
        Assert.Equal(0, (await Store.QueryGroupsAsync(partition, GroupsWhere("members eq \"u1\""), Index())).Total);
        Assert.Equal(2, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
        await Store.InsertGroupAsync(partition, NewGroup("g2", "G"), ["u1"], 10, Audit("CreateGroup", "Group/g2")); // its name is free again
    }

    // Rule I-2: deleting a user or group deletes its assignments, unless they are kept (ActiveDirectory).
    [Fact]
    public async Task DeletingAPrincipalDeletesItsAssignmentsUnlessTheyAreKept()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), [], 10, Audit("CreateGroup", "Group/g"));
        foreach (var (type, principal) in new[] { ("User", "u1"), ("User", "u2"), ("Group", "g") })
            await Store.AddAssignmentAsync(partition, NewAssignment(type, principal, "111111111111", "Admin"), Audit("CreateAssignment", principal));

        await Store.DeleteUserAsync(partition, "u1", Audit("DeleteUser", "User/u1"));
        await Store.DeleteUserAsync(partition, "u2", Audit("DeleteUser", "User/u2"), keepAssignments: true);
        await Store.DeleteGroupAsync(partition, "g", Audit("DeleteGroup", "Group/g"));

        Assert.Equal(["u2"], (await Store.ListAssignmentsAsync(partition, null, null, 0, 100)).Select(a => a.PrincipalId));
    }

    // Rules I-2, S-5: an assignment names an existing user or group of the directory, and a grant exists once.
    [Fact]
    public async Task AnAssignmentNeedsAnExistingPrincipalAndIsGrantedOnce()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1");
        await Store.InsertUserAsync(NewPartition(), NewUser("stranger", "s@x.com"), 10, CreateUserAudit("stranger"));
        var assignment = NewAssignment("User", "u1", "111111111111", "Admin");
        await Store.AddAssignmentAsync(partition, assignment, Audit("CreateAssignment", assignment.Id));

        await Assert.ThrowsAsync<UniqueConstraintException>(() =>
            Store.AddAssignmentAsync(partition, NewAssignment("User", "u1", "111111111111", "Admin"), Audit("CreateAssignment", "again")));
        await Assert.ThrowsAsync<UnknownPrincipalException>(() =>
            Store.AddAssignmentAsync(partition, NewAssignment("User", "stranger", "111111111111", "Admin"), Audit("CreateAssignment", "s")));
        await Assert.ThrowsAsync<UnknownPrincipalException>(() =>
            Store.AddAssignmentAsync(partition, NewAssignment("Group", "u1", "111111111111", "Admin"), Audit("CreateAssignment", "g")));

        var stored = Assert.Single(await Store.ListAssignmentsAsync(partition, null, null, 0, 100));
        Assert.Equal(assignment with { Seq = stored.Seq }, stored);
        Assert.True(await Store.DeleteAssignmentAsync(partition, assignment.Id, Audit("DeleteAssignment", assignment.Id)));
        Assert.False(await Store.DeleteAssignmentAsync(partition, assignment.Id, Audit("DeleteAssignment", assignment.Id)));
        Assert.Empty(await Store.ListAssignmentsAsync(partition, null, null, 0, 100));
    }

    // Rule S-5: a user's access is its own assignments and its groups', each grant once; lists page by principal or target in creation order.
    [Fact]
    public async Task AccessJoinsTheUsersAndItsGroupsAssignmentsAndListsPageInCreationOrder()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), ["u1"], 10, Audit("CreateGroup", "Group/g"));
        Assignment[] assignments =
        [
            NewAssignment("User", "u1", "222222222222", "ReadOnly"),
            NewAssignment("Group", "g", "111111111111", "Admin"),
            NewAssignment("Group", "g", "222222222222", "ReadOnly"),
            NewAssignment("User", "u2", "111111111111", "Admin"),
        ];
        foreach (var assignment in assignments)
            await Store.AddAssignmentAsync(partition, assignment, Audit("CreateAssignment", assignment.Id));

        Assert.Equal([new AccessGrant("111111111111", "Admin"), new AccessGrant("222222222222", "ReadOnly")],
            await Store.EffectiveAccessAsync(partition, "u1"));
        Assert.Equal([new AccessGrant("111111111111", "Admin")], await Store.EffectiveAccessAsync(partition, "u2"));
        Assert.Empty(await Store.EffectiveAccessAsync(partition, "nobody"));

        var ofGroup = await Store.ListAssignmentsAsync(partition, "g", null, 0, 100);
        Assert.Equal([assignments[1].Id, assignments[2].Id], ofGroup.Select(a => a.Id));
        var onTarget = await Store.ListAssignmentsAsync(partition, null, "111111111111", 0, 1);
        Assert.Equal([assignments[1].Id], onTarget.Select(a => a.Id));
        Assert.Equal([assignments[3].Id], (await Store.ListAssignmentsAsync(partition, null, "111111111111", onTarget[0].Seq, 10)).Select(a => a.Id));
        Assert.Equal([assignments[2].Id], (await Store.ListAssignmentsAsync(partition, "g", "222222222222", 0, 10)).Select(a => a.Id));
    }

    // Rule R-FLT-6: users are found by userName (in any case), externalId (exactly), id, and id with manager.
    [Fact]
    public async Task UserFiltersFindByUserNameExternalIdIdAndManager()
    {
        var partition = NewPartition();
        await Store.InsertUserAsync(partition, NewUser("boss", "boss@x.com"), 10, CreateUserAudit("boss"));
        await Store.InsertUserAsync(partition, NewUser("u1", "ruth@x.com", managerId: "boss"), 10, CreateUserAudit("u1"));

        Assert.Equal(["u1"], Ids(await Store.QueryUsersAsync(partition, UsersWhere("userName eq \"RUTH@X.com\""), Index())));
        Assert.Equal(["u1"], Ids(await Store.QueryUsersAsync(partition, UsersWhere("externalId eq \"ext-u1\""), Index())));
        Assert.Empty(Ids(await Store.QueryUsersAsync(partition, UsersWhere("externalId eq \"EXT-U1\""), Index())));
        Assert.Equal(["boss"], Ids(await Store.QueryUsersAsync(partition, UsersWhere("id eq \"boss\""), Index())));
        Assert.Equal(["u1"], Ids(await Store.QueryUsersAsync(partition, UsersWhere("id eq \"u1\" and manager eq \"boss\""), Index())));
        Assert.Empty(Ids(await Store.QueryUsersAsync(partition, UsersWhere("id eq \"boss\" and manager eq \"u1\""), Index())));
        var none = await Store.QueryUsersAsync(partition, UsersWhere("userName eq \"nobody@x.com\""), Index());
        Assert.Equal((0, 0), (none.Total, none.Resources.Count)); // R-ENT-3: a miss is an empty page, not an error
        Assert.Empty(Ids(await Store.QueryUsersAsync(NewPartition(), UsersWhere("id eq \"u1\""), Index())));
    }

    // Rules R-LST-2, R-LST-4: totalResults is every match wherever the page stands: full, short (the last page), empty past the end, or count 0.
    [Fact]
    public async Task EveryPageCarriesTheTotalOfTheMatches()
    {
        var partition = NewPartition();
        for (var i = 0; i < 5; i++)
            await Store.InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 10, CreateUserAudit($"u{i}"));
        var sw = UsersWhere("userName sw \"u\"");

        foreach (var query in new[] { ResourceQuery.All, sw })
        {
            foreach (var (count, startIndex, rows) in new[] { (2, 1, 2), (2, 5, 1), (2, 6, 0), (2, 9, 0), (10, 1, 5), (10, 3, 3), (0, 1, 0), (5, 1, 5) })
            {
                var page = await Store.QueryUsersAsync(partition, query, Index(count, startIndex));
                Assert.Equal((5, rows), (page.Total, page.Resources.Count));
            }
        }
        var one = await Store.QueryUsersAsync(partition, UsersWhere("userName eq \"u3@x.com\""), Index(count: 1));
        Assert.Equal((1, 1), (one.Total, one.Resources.Count));
        var past = await Store.QueryUsersAsync(partition, UsersWhere("userName eq \"u3@x.com\""), Index(startIndex: 2));
        Assert.Equal((1, 0), (past.Total, past.Resources.Count));
    }

    // The operator's search (docs/decisions.md): users are found by display name in any case; a SCIM filter of the aws profile cannot ask it (R-FLT-6).
    [Fact]
    public async Task TheOperatorFindsUsersByDisplayNameInAnyCase()
    {
        var partition = NewPartition();
        await Store.InsertUserAsync(partition, NewUser("u1", "ruth@x.com", displayName: "Ruth Rivers"), 10, CreateUserAudit("u1"));
        await Store.InsertUserAsync(partition, NewUser("u2", "rita@x.com", displayName: "Rita Rivers"), 10, CreateUserAudit("u2"));

        Assert.Equal("1: u1", Described(await Store.QueryUsersAsync(partition, UsersWhere("displayName eq \"RUTH rivers\""), Index())));
        Assert.Equal("0: ", Described(await Store.QueryUsersAsync(partition, UsersWhere("displayName eq \"Ruth\""), Index())));
        Assert.Equal("0: ", Described(await Store.QueryUsersAsync(NewPartition(), UsersWhere("displayName eq \"Ruth Rivers\""), Index())));
    }

    // Rule R-FLT-7 [AWS]: a membership query naming a user who must exist is refused when that user is unknown, and
    // answered (groups or none) when the user exists, in index and cursor mode; the same query without the requirement answers 0.
    [Fact]
    public async Task AGroupQueryRequiringAnUnknownUserIsRefused()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("a", "Admins"), ["u1"], 10, Audit("CreateGroup", "Group/a"));
        ResourceQuery Requiring(string filter, string user) => GroupsWhere(filter) with { RequiredUser = user };

        foreach (var page in new[] { Index(), Cursor(10) })
        {
            Assert.Equal(["a"], Ids(await Store.QueryGroupsAsync(partition, Requiring("members eq \"u1\"", "u1"), page)));
            Assert.Empty(Ids(await Store.QueryGroupsAsync(partition, Requiring("members eq \"u2\"", "u2"), page)));
            Assert.Empty(Ids(await Store.QueryGroupsAsync(partition, Requiring("id eq \"a\" and members eq \"u2\"", "u2"), page)));
            var refused = await Assert.ThrowsAsync<UnknownMemberException>(() => Store.QueryGroupsAsync(partition, Requiring("members eq \"ghost\"", "ghost"), page));
            Assert.Equal("ghost", refused.UserId);
            await Assert.ThrowsAsync<UnknownMemberException>(() => Store.QueryGroupsAsync(partition, Requiring("id eq \"a\" and members eq \"ghost\"", "ghost"), page));
            await Assert.ThrowsAsync<UnknownMemberException>(() => Store.QueryGroupsAsync(NewPartition(), Requiring("members eq \"u1\"", "u1"), page)); // DESIGN §4
            Assert.Empty(Ids(await Store.QueryGroupsAsync(partition, GroupsWhere("members eq \"ghost\""), page)));
        }
    }

    // Rules R-FLT-6, R-FLT-7: groups are found by displayName (in any case), externalId, id, member, and id with member.
    [Fact]
    public async Task GroupFiltersFindByDisplayNameExternalIdIdAndMember()
    {
        var partition = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await Store.InsertGroupAsync(partition, NewGroup("a", "Admins"), ["u1"], 10, Audit("CreateGroup", "Group/a"));
        await Store.InsertGroupAsync(partition, NewGroup("b", "Builders"), ["u1", "u2"], 10, Audit("CreateGroup", "Group/b"));

        Assert.Equal(["a"], Ids(await Store.QueryGroupsAsync(partition, GroupsWhere("displayName eq \"ADMINS\""), Index())));
        Assert.Equal(["b"], Ids(await Store.QueryGroupsAsync(partition, GroupsWhere("externalId eq \"ext-b\""), Index())));
        Assert.Equal(["b"], Ids(await Store.QueryGroupsAsync(partition, GroupsWhere("id eq \"b\""), Index())));
        Assert.Equal("2: a, b", Described(await Store.QueryGroupsAsync(partition, GroupsWhere("members eq \"u1\""), Index())));
        Assert.Equal(1, (await Store.QueryGroupsAsync(partition, GroupsWhere("id eq \"b\" and members eq \"u2\""), Index())).Total);
        Assert.Equal(0, (await Store.QueryGroupsAsync(partition, GroupsWhere("id eq \"a\" and members eq \"u2\""), Index())).Total);
        Assert.Equal("2: u1, u2", await MembersAsync(partition, "b"));
    }

    // Rules R-LST-3, R-LST-4: an index page starts at startIndex, holds at most count, and reports the total of the matches.
    [Fact]
    public async Task IndexPagesHonourStartIndexAndReportTheTotal()
    {
        var partition = NewPartition();
        var ids = Enumerable.Range(0, 7).Select(i => $"u{i}").ToArray();
        await InsertUsersAsync(partition, ids);
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), ids[2..], 10, Audit("CreateGroup", "Group/g"));

        var second = await Store.QueryUsersAsync(partition, ResourceQuery.All, Index(count: 3, startIndex: 4));
        Assert.Equal("7: u3, u4, u5", Described(second));
        Assert.Null(second.NextCursor);
        Assert.Equal("7: u6", Described(await Store.QueryUsersAsync(partition, ResourceQuery.All, Index(count: 3, startIndex: 7))));
        Assert.Equal("7: ", Described(await Store.QueryUsersAsync(partition, ResourceQuery.All, Index(count: 3, startIndex: 20))));
        Assert.Equal("5: u3, u4", Described(await Store.QueryUsersAsync(partition, UsersWhere("groups eq \"g\""), Index(count: 2, startIndex: 2))));
        Assert.Equal(1, (await Store.QueryGroupsAsync(partition, ResourceQuery.All, Index(count: 1))).Total);
    }

    // Rule R-LST-3: a cursor walk returns every resource there before it exactly once, in a stable order, however pages fall.
    [Fact]
    public async Task ACursorWalkReturnsEveryResourceOnceInInsertionOrder()
    {
        var partition = NewPartition();
        var ids = Enumerable.Range(0, 23).Select(i => $"u{i:D2}").ToArray();
        await InsertUsersAsync(partition, ids);
        await Store.InsertGroupAsync(partition, NewGroup("g", "G"), Enumerable.Reverse(ids).ToArray(), 50, Audit("CreateGroup", "Group/g"));

        var seen = new List<string>();
        long? cursor = 0;
        var pages = 0;
        while (cursor is { } after)
        {
            var page = await Store.QueryUsersAsync(partition, ResourceQuery.All, Cursor(5, after));
            Assert.Null(page.Total);
            seen.AddRange(Ids(page));
            cursor = page.NextCursor;
            if (pages++ == 1)
                await InsertUsersAsync(partition, "late"); // created during the walk: may appear, at its end
        }
        Assert.Equal(ids, seen.Where(id => id != "late"));
        Assert.Equal(ids, await WalkMembersAsync(partition, "g", pageSize: 4)); // members in the order they became users
    }

    // Rules S-2, I-4: a user's first sign-in is remembered; an identity-source change marks every user for a password reset.
    [Fact]
    public async Task ASignInIsRememberedAndAPasswordResetMarksEveryUserOfTheDirectory()
    {
        var partition = NewPartition();
        var other = NewPartition();
        await InsertUsersAsync(partition, "u1", "u2");
        await InsertUsersAsync(other, "u1");

        await Store.MarkSignedInAsync(partition, "u1");
        await Store.RequirePasswordResetAsync(partition);

        Assert.True((await Store.GetUserAsync(partition, "u1"))!.SignedIn);
        Assert.False((await Store.GetUserAsync(partition, "u2"))!.SignedIn);
        Assert.True(await Store.PasswordResetRequiredAsync(partition, "u2"));
        Assert.False(await Store.PasswordResetRequiredAsync(other, "u1"));
        Assert.False(await Store.PasswordResetRequiredAsync(partition, "nobody"));
    }

    // Rules I-1, I-8: a retired directory is purged in batches; the tenant's current directory and other tenants' stay.
    [Fact]
    public async Task ARetiredDirectoryIsPurgedInBatchesAndNothingElse()
    {
        var retired = NewPartition();
        var current = retired with { Generation = 1 };
        foreach (var partition in new[] { retired, current })
        {
            await InsertUsersAsync(partition, "u1", "u2");
            await Store.InsertGroupAsync(partition, NewGroup("g", "G"), ["u1", "u2"], 10, Audit("CreateGroup", "Group/g"));
            await Store.AddAssignmentAsync(partition, NewAssignment("User", "u1", "111111111111", "Admin"), Audit("CreateAssignment", "a"));
        }

        var batches = 1;
        while (await Store.PurgePartitionAsync(retired, batch: 3))
            batches++;

        // 2 users, a group, 2 memberships, an assignment and the usage counts: 7 rows, 3 batches of 3.
        Assert.Equal(3, batches);
        Assert.Null(await Store.GetGroupAsync(retired, "g"));
        Assert.Empty(Ids(await Store.QueryUsersAsync(retired, ResourceQuery.All, Cursor(10))));
        Assert.Empty(await Store.ListAssignmentsAsync(retired, null, null, 0, 10));
        Assert.Equal("2: u1, u2", await MembersAsync(current, "g"));
        Assert.Single(await Store.ListAssignmentsAsync(current, null, null, 0, 10));
        Assert.Equal(8, (await Store.ListAuditAsync(retired.TenantId, 0, 100)).Count); // the tenant's audit trail stays (O-5)
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.PurgePartitionAsync(retired, batch: 0));
    }

    // Rules O-2 (a deleted tenant's data all goes), I-1/I-6 (a wipe leaves the tenant later-generation directories).
    [Fact]
    public async Task EveryGenerationOfADeletedTenantGoesInBatchesAndNeighbouringIdsStay()
    {
        var tenant = Guid.NewGuid().ToString();
        // Ids that sort right next to the tenant's partitions: a prefix of the tenant, a longer id, the next id.
        string[] others = [tenant[..^1], tenant + "0", tenant[..^1] + (char)(tenant[^1] + 1)];
        DirectoryPartition[] mine = [DirectoryPartition.First(tenant), new(tenant, 1), new(tenant, 12)];
        foreach (var partition in mine.Concat(others.Select(DirectoryPartition.First)))
        {
            foreach (var id in new[] { "u1", "u2" })
                await Store.InsertUserAsync(partition, NewUser(id, $"{id}.{partition}@x.com"), 10, CreateUserAudit(id));
            await Store.InsertGroupAsync(partition, NewGroup("g1", "g1"), ["u1", "u2"], 10, CreateUserAudit("g1"));
        }
        foreach (var tenantId in others.Append(tenant))
        {
            await Store.RegisterTenantAsync(tenantId, At);
            await Store.SetPortalAsync($"d-{tenantId}", tenantId);
        }
        await Store.AppendEventsAsync(tenant, [new DirectoryEvent(0, "T", "s", At, "{}")]);

        await Store.WithdrawTenantAsync(tenant);
        var batches = 1;
        while (await Store.PurgeTenantAsync(tenant, batch: 2))
            batches++;

        // 3 directories × (2 users, a group, 2 memberships, usage), 9 audit records and an event: 28 rows, 14 full batches and an empty one.
        Assert.Equal(15, batches);
        foreach (var partition in mine)
        {
            Assert.True(await Store.GetUserAsync(partition, "u1") is null, partition.Key);
            Assert.Null(await Store.GetGroupAsync(partition, "g1"));
        }
        Assert.Empty(await Store.ListAuditAsync(tenant, 0, 10));
        Assert.Empty(await Store.ListEventsAsync(tenant, 0, 10));
        var listed = await AllTenantsAsync();
        foreach (var partition in others.Select(DirectoryPartition.First))
        {
            Assert.Contains(partition.TenantId, listed);
            Assert.True(await Store.GetUserAsync(partition, "u1") is not null, partition.Key);
            Assert.Equal(3, (await Store.ListAuditAsync(partition.TenantId, 0, 10)).Count);
            Assert.Equal("2: u1, u2", await MembersAsync(partition, "g1"));
            Assert.Equal(2, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total); // its usage counts too
            Assert.Equal(partition.TenantId, await Store.FindPortalTenantAsync($"d-{partition.TenantId}"));
        }
    }

    // Rule I-10: an identity store id maps to its tenant until it is removed; a new id for the tenant may replace it.
    [Fact]
    public async Task APortalMapsAnIdentityStoreToItsTenantUntilRemoved()
    {
        var tenant = Guid.NewGuid().ToString();
        var (oldStore, newStore) = ($"d-{Guid.NewGuid():N}", $"d-{Guid.NewGuid():N}");
        await Store.SetPortalAsync(oldStore, tenant);
        await Store.SetPortalAsync(newStore, tenant);
        await Store.SetPortalAsync(newStore, tenant);

        await Store.RemovePortalAsync(oldStore);

        Assert.Null(await Store.FindPortalTenantAsync(oldStore));
        Assert.Equal(tenant, await Store.FindPortalTenantAsync(newStore));
        Assert.Null(await Store.FindPortalTenantAsync("d-unknown"));
    }

    // Rule O-2: the operator lists tenants in creation order, each once, however often one is registered.
    [Fact]
    public async Task TenantsAreListedInCreationOrderOnceEach()
    {
        var tenants = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToArray();
        foreach (var tenant in tenants)
            await Store.RegisterTenantAsync(tenant, At);
        await Store.RegisterTenantAsync(tenants[0], At.AddDays(1));

        Assert.Equal(tenants, (await AllTenantsAsync(pageSize: 2)).Where(tenants.Contains));
    }

    // Rule T-8: an event is stored once (same type, subject and instant), listed per tenant and, for the webhook, across tenants in order.
    [Fact]
    public async Task EventsAreStoredOnceAndListedPerTenantAndAcrossTenantsInOrder()
    {
        var (a, b) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var first = new DirectoryEvent(0, "SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION", "token-1", At.AddTicks(1), """{"days":90}""");
        var second = first with { At = At.AddDays(7) };
        await Store.AppendEventsAsync(a, [first, second]);
        await Store.AppendEventsAsync(b, [first]);
        await Store.AppendEventsAsync(a, [second, first with { Subject = "token-2" }]);

        var ofA = await Store.ListEventsAsync(a, 0, 10);
        Assert.Equal([(first.At, "token-1"), (second.At, "token-1"), (first.At, "token-2")], ofA.Select(e => (e.At, e.Subject)));
        Assert.Equal(first with { Seq = ofA[0].Seq }, ofA[0]);
        Assert.Equal([ofA[2].Seq], (await Store.ListEventsAsync(a, ofA[1].Seq, 10)).Select(e => e.Seq));
        var all = (await Store.ListAllEventsAsync(ofA[0].Seq - 1, 1_000)).Where(e => e.TenantId == a || e.TenantId == b).ToList();
        Assert.Equal([a, a, b, a], all.Select(e => e.TenantId));
        Assert.True(all.Select(e => e.Event.Seq).SequenceEqual(all.Select(e => e.Event.Seq).Order()));
    }

    // Rules O-5, T-8: the operator's activity view reads a tenant's audit records and events newest first, page after page.
    [Fact]
    public async Task AuditRecordsAndEventsReadNewestFirstBeforeAPosition()
    {
        var tenant = Guid.NewGuid().ToString();
        for (var i = 1; i <= 5; i++)
            await Store.AppendAuditAsync(tenant, Audit($"Action{i}", $"Tenant/{tenant}"));
        await Store.AppendEventsAsync(tenant, [.. Enumerable.Range(1, 4).Select(day => new DirectoryEvent(0, "T", $"s{day}", At.AddDays(day), "{}"))]);

        var newest = await Store.ListRecentAuditAsync(tenant, long.MaxValue, 2);
        Assert.Equal(["Action5", "Action4"], newest.Select(entry => entry.Action));
        Assert.Equal(["Action3", "Action2", "Action1"], (await Store.ListRecentAuditAsync(tenant, newest[^1].Seq, 10)).Select(entry => entry.Action));
        var events = await Store.ListRecentEventsAsync(tenant, long.MaxValue, 3);
        Assert.Equal(["s4", "s3", "s2"], events.Select(e => e.Subject));
        Assert.Equal(["s1"], (await Store.ListRecentEventsAsync(tenant, events[^1].Seq, 3)).Select(e => e.Subject));
        Assert.Empty(await Store.ListRecentAuditAsync(Guid.NewGuid().ToString(), long.MaxValue, 3));
    }

    // DESIGN §4 (observability, /readyz): the check commits a write and reads; a closed store fails it.
    [Fact]
    public async Task TheCheckCommitsAWriteAndFailsOnceTheStoreIsClosed()
    {
        using var recorded = new RecordedMeasurements(engine.Meters);
        var store = engine.Open();
        await store.CheckAsync();
        await store.CheckAsync();

        await ((IAsyncDisposable)store).DisposeAsync();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => store.CheckAsync());
        Assert.Equal(
            ["CheckAsync error", "CheckAsync ok", "CheckAsync ok", "CheckAsync ok", "CheckAsync ok"], // each check's write and read, then the refused write
            recorded.Of("identity_directory.store.duration").Select(c => $"{c.Tag("db.operation.name")} {c.Tag("outcome")}").Order());
    }

    // DESIGN §4 (observability): store latency, by operation and outcome.
    [Fact]
    public async Task EveryCallIsTimedByItsOperationAndOutcome()
    {
        var partition = NewPartition();
        using var recorded = new RecordedMeasurements(engine.Meters);

        await Store.InsertUserAsync(partition, NewUser("a", "a@x.com"), 10, CreateUserAudit("a"));
        await Assert.ThrowsAsync<UniqueConstraintException>(() => Store.InsertUserAsync(partition, NewUser("b", "a@x.com"), 10, CreateUserAudit("b")));
        Assert.NotNull(await Store.GetUserAsync(partition, "a"));

        var calls = recorded.Of("identity_directory.store.duration");
        Assert.Equal(
            ["GetUserAsync ok", "InsertUserAsync ok", "InsertUserAsync refused"], // a taken userName is the rules at work, not a fault
            calls.Select(c => $"{c.Tag("db.operation.name")} {c.Tag("outcome")}").Order());
        Assert.All(calls, c => Assert.True(c.Value > 0));
    }

    // Rule R-CRUD-3 with several silos: a write acknowledged by one process is read at once by another.
    [Fact]
    public async Task AWriteAcknowledgedByOneProcessIsReadAtOnceByAnother()
    {
        var partition = NewPartition();
        var other = engine.Open();
        for (var i = 0; i < 5; i++)
        {
            await Store.InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 10, CreateUserAudit($"u{i}"));
            Assert.NotNull(await other.GetUserAsync(partition, $"u{i}"));
            Assert.Equal(i + 1, (await other.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
            Assert.Equal([$"u{i}"], Ids(await other.QueryUsersAsync(partition, UsersWhere($"userName eq \"u{i}@x.com\""), Index())));
        }
    }

    // DESIGN §4 (concurrency): 50 concurrent creates of one userName, from two processes, leave exactly one user.
    [Fact]
    public async Task ConcurrentCreatesOfOneUserNameFromTwoProcessesLetExactlyOneWin()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            OutcomeOf(stores[i % 2].InsertUserAsync(partition, NewUser($"u{i}", "same@x.com") with { Keys = new("same@x.com", null, null, null) }, 100,
                CreateUserAudit($"u{i}")))));

        Assert.Single(outcomes, outcome => outcome is null);
        Assert.All(outcomes.OfType<Exception>(), e => Assert.Equal("userName", Assert.IsType<UniqueConstraintException>(e).Attribute));
        Assert.Equal(1, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
        Assert.Single(Ids(await Store.QueryUsersAsync(partition, ResourceQuery.All, Cursor(100))));
        Assert.Single(await Store.ListAuditAsync(partition.TenantId, 0, 100));
    }

    // Rule R-AWS-1 with several silos: concurrent creates never take more places than the quota has, and the count stays exact.
    [Fact]
    public async Task ConcurrentCreatesFromTwoProcessesNeverPassTheQuota()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };
        await Store.SetQuotasAsync(partition, users: 10, groups: 4);

        var users = Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            OutcomeOf(stores[i % 2].InsertUserAsync(partition, NewUser($"u{i}", $"u{i}@x.com"), 1_000, CreateUserAudit($"u{i}")))));
        var groups = Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            OutcomeOf(stores[i % 2].InsertGroupAsync(partition, NewGroup($"g{i}", $"G{i}"), [], 1_000, Audit("CreateGroup", $"Group/g{i}")))));

        Assert.Equal(10, (await users).Count(outcome => outcome is null));
        Assert.Equal(4, (await groups).Count(outcome => outcome is null));
        Assert.All((await users).Concat(await groups).OfType<Exception>(), e => Assert.IsType<QuotaExceededException>(e));
        Assert.Equal(10, (await Store.QueryUsersAsync(partition, ResourceQuery.All, Index())).Total);
        Assert.Equal(10, Ids(await Store.QueryUsersAsync(partition, ResourceQuery.All, Cursor(100))).Count);
        Assert.Equal(4, (await Store.QueryGroupsAsync(partition, ResourceQuery.All, Index())).Total);
    }

    // Rules R-GRP-6, R-LST-4 with several silos: membership adds, removes and user deletes racing from two processes keep every member count exact.
    [Fact]
    public async Task ConcurrentMembershipChangesAndUserDeletesKeepEveryMemberCountExact()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };
        var users = Enumerable.Range(0, 30).Select(i => $"u{i:D2}").ToArray();
        await InsertUsersAsync(partition, users);
        await Store.InsertGroupAsync(partition, NewGroup("a", "A"), users[..10], 100, Audit("CreateGroup", "Group/a"));
        await Store.InsertGroupAsync(partition, NewGroup("b", "B"), users[5..15], 100, Audit("CreateGroup", "Group/b"));
        var deleted = users.Where((_, i) => i % 3 == 0).ToHashSet();

        // Each group takes its changes in turn, as its grain does, from both processes; the user deletes race them.
        var (changesOfA, changesOfB, deletes) = (new List<MembershipChange>(), new List<MembershipChange>(), new List<Func<Task>>());
        for (var i = 0; i < users.Length; i++)
        {
            var (store, user) = (stores[(i + 1) % 2], users[i]);
            changesOfA.Add(new([user], []));
            changesOfB.Add(new([user], i % 4 == 0 ? [users[^(i + 1)]] : []));
            if (i % 5 == 0)
                changesOfA.Add(new([], [users[(i + 7) % users.Length]]));
            if (deleted.Contains(user))
                deletes.Add(() => store.DeleteUserAsync(partition, user, Audit("DeleteUser", $"User/{user}")));
        }
        await Task.WhenAll(ChangeInTurnAsync(partition, stores, "a", changesOfA), ChangeInTurnAsync(partition, stores, "b", changesOfB),
            Task.Run(async () =>
            {
                foreach (var delete in deletes)
                    await delete();
            }));

        foreach (var group in new[] { "a", "b" })
        {
            var members = await WalkMembersAsync(partition, group, pageSize: 7);
            var count = (await Store.QueryUsersAsync(partition, UsersWhere($"groups eq \"{group}\""), Index(count: 1))).Total;
            Assert.Equal(members.Count, count);
            Assert.DoesNotContain(members, deleted.Contains);
        }
    }

    // Rule O-5 with several silos: a tenant's audit records, written at once by two processes, are numbered 1 … n without gap or repeat.
    [Fact]
    public async Task ConcurrentAuditRecordsOfATenantAreNumberedWithoutGapOrRepeat()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => i % 3 == 0
            ? stores[i % 2].InsertUserAsync(partition with { Generation = i % 2 }, NewUser($"u{i}", $"u{i}@x.com"), 100, CreateUserAudit($"u{i}"))
            : stores[i % 2].AppendAuditAsync(partition.TenantId, Audit("UpdateSettings", $"Tenant/{i}"))));

        var trail = await Store.ListAuditAsync(partition.TenantId, 0, 1_000);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), trail.Select(entry => entry.Seq));
        Assert.Equal(20, trail.Count(entry => entry.Action == "CreateUser"));
    }

    // Rule O-2 with several silos: creates racing a tenant's deletion from two processes leave no row once the purge has run, and later ones are refused.
    [Fact]
    public async Task CreatesRacingATenantDeletionLeaveNoRowAfterThePurge()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };
        await Store.RegisterTenantAsync(partition.TenantId, At);

        var creates = Enumerable.Range(0, 40).Select(i =>
            OutcomeOf(stores[i % 2].InsertUserAsync(partition with { Generation = i % 3 }, NewUser($"u{i}", $"u{i}@x.com"), 100, CreateUserAudit($"u{i}")))).ToList();
        await stores[1].WithdrawTenantAsync(partition.TenantId);
        var late = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            OutcomeOf(stores[i % 2].InsertGroupAsync(partition, NewGroup($"g{i}", $"G{i}"), [], 100, Audit("CreateGroup", $"Group/g{i}")))));
        var outcomes = await Task.WhenAll(creates);
        while (await stores[0].PurgeTenantAsync(partition.TenantId, batch: 7))
        {
        }

        Assert.All(late, outcome => Assert.IsType<TenantDeletedException>(outcome));
        Assert.All(outcomes.OfType<Exception>(), e => Assert.IsType<TenantDeletedException>(e));
        for (var generation = 0; generation < 3; generation++)
            Assert.Empty(Ids(await Store.QueryUsersAsync(partition with { Generation = generation }, ResourceQuery.All, Cursor(100))));
        Assert.Empty(await Store.ListAuditAsync(partition.TenantId, 0, 100));
    }

    // Rule I-2 with several silos: an assignment added while another process deletes its principal never outlives it.
    [Fact]
    public async Task AnAssignmentRacingItsPrincipalsDeleteNeverOutlivesIt()
    {
        var partition = NewPartition();
        var stores = new[] { Store, engine.Open() };
        var users = Enumerable.Range(0, 20).Select(i => $"u{i}").ToArray();
        await InsertUsersAsync(partition, users);

        await Task.WhenAll(users.SelectMany((user, i) => new[]
        {
            OutcomeOf(stores[i % 2].AddAssignmentAsync(partition, NewAssignment("User", user, "111111111111", "Admin"), Audit("CreateAssignment", user))),
            OutcomeOf(stores[(i + 1) % 2].DeleteUserAsync(partition, user, Audit("DeleteUser", $"User/{user}"))),
        }));

        Assert.Empty(await Store.ListAssignmentsAsync(partition, null, null, 0, 100));
    }

    private async Task InsertUsersAsync(DirectoryPartition partition, params string[] ids)
    {
        foreach (var id in ids)
            await Store.InsertUserAsync(partition, NewUser(id, $"{id}@x.com"), 1_000, CreateUserAudit(id));
    }

    /// <summary>A group's member count (its list's total) and its members' ids, as one index page tells them: <c>"2: u1, u2"</c>.</summary>
    private async Task<string> MembersAsync(DirectoryPartition partition, string groupId) =>
        Described(await Store.QueryUsersAsync(partition, UsersWhere($"groups eq \"{groupId}\""), Index()));

    /// <summary>An index page as its total and its resources' ids: <c>"2: u1, u2"</c>.</summary>
    private static string Described(ResourcePage page) => $"{page.Total}: {string.Join(", ", Ids(page))}";

    private async Task<List<string>> WalkMembersAsync(DirectoryPartition partition, string groupId, int pageSize)
    {
        var ids = new List<string>();
        long? cursor = 0;
        while (cursor is { } after)
        {
            var page = await Store.QueryUsersAsync(partition, UsersWhere($"groups eq \"{groupId}\""), Cursor(pageSize, after));
            ids.AddRange(Ids(page));
            cursor = page.NextCursor;
        }
        return ids;
    }

    private async Task<List<string>> AllTenantsAsync(int pageSize = 100)
    {
        var tenants = new List<string>();
        long? next = 0;
        while (next is { } after)
        {
            var page = await Store.ListTenantsAsync(after, pageSize);
            tenants.AddRange(page.TenantIds);
            next = page.Next;
        }
        return tenants;
    }

    private static List<string> Ids(ResourcePage page) => page.Resources.Select(item => item.Id).ToList();

    private async Task ChangeInTurnAsync(DirectoryPartition partition, IDirectoryStore[] stores, string groupId, IReadOnlyList<MembershipChange> changes)
    {
        var version = 1L;
        for (var i = 0; i < changes.Count; i++)
        {
            try
            {
                if (await ChangeMembersAsync(partition, groupId, version + 1, changes[i], stores[i % 2]))
                    version++;
            }
            catch (UnknownMemberException)
            {
                // a member the racing deletes took first
            }
        }
    }

    private static Assignment NewAssignment(string type, string principal, string target, string permissionSet) =>
        new(Guid.NewGuid().ToString(), type, principal, target, permissionSet, At);
}

public sealed class SqliteStoreContractTests(SqliteStoreEngine engine) : DirectoryStoreContract(engine), IClassFixture<SqliteStoreEngine>;

public sealed class PostgresStoreContractTests(PostgresStoreEngine engine) : DirectoryStoreContract(engine), IClassFixture<PostgresStoreEngine>;
