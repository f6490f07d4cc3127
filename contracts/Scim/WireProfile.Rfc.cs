namespace IdentityDirectory.Scim;

public sealed partial record WireProfile
{
    /// <summary>R-BULK-2: operations of one Bulk request.</summary>
    public const int BulkMaxOperations = 1000;

    /// <summary>R-BULK-2: bytes of one Bulk request; the gateway reads no body larger (DESIGN.md §4).</summary>
    public const int BulkMaxPayloadSize = 1024 * 1024;

    /// <summary>
    /// The rfc profile (SCIM-RULES [RFC]): RFC 7643/7644 as they are written, for generic clients; the
    /// tenant's options choose the PATCH answer and whether Bulk is on (<see cref="WithOptions"/>).
    /// </summary>
    public static readonly WireProfile Rfc = new()
    {
        Name = RfcName,
        User = ScimSchemas.User,
        EnterpriseUser = ScimSchemas.EnterpriseUser,
        Group = ScimSchemas.Group,
        AwsStringRules = false,
        ReservedNames = [],
        SingleValueAttributes = [],
        SoleEmailIsPrimary = false,
        UniqueTypeAttributes = ["emails", "phoneNumbers", "ims", "photos", "addresses"],
        GroupsRefusedOnCreate = false,
        SchemasRequired = true,
        MaxMembershipChanges = null,
        PatchOncePerRequest = [],
        PatchUnremovable = [],
        PatchReplacesAllMembers = true,
        UserPatchAnswersResource = true,
        GroupPatchAnswersResource = true,
        ContentType = "application/scim+json; charset=utf-8",
        Locations = true,
        ETags = true,
        Projection = true,
        ReturnsMemberships = true,
        StrictCount = false,
        Cursors = false,
        UnknownMemberIsNotFound = false,
        Filter = FilterLanguage.Full,
        Sort = true,
        Search = true,
        PutGroups = true,
        ResourceTypeById = true,
        FilterForbiddenOnDiscovery = true,
        EnterpriseExtensionRequired = false,
        UnservedStatus = 501,
        Bulk = new BulkRules(Enabled: false, BulkMaxOperations, BulkMaxPayloadSize),
    };

    private WireProfile WithOptions(TenantProfileOptions options) => this with
    {
        Options = options,
        UserPatchAnswersResource = !options.PatchNoContent,
        GroupPatchAnswersResource = !options.PatchNoContent,
        Bulk = Bulk! with { Enabled = options.BulkEnabled },
    };
}
