namespace IdentityDirectory.Scim;

public sealed partial record WireProfile
{
    private static AttributeDefinition Required(AttributeDefinition attribute) => attribute with { Required = true };

    private static AttributeDefinition Rejected(AttributeDefinition attribute) => attribute with { Support = AttributeSupport.Rejected };

    /// <summary>
    /// The aws profile, the default (SCIM-RULES [AWS]): an IdP connector written for AWS IAM Identity
    /// Center works unchanged, restrictions, answers and error texts included.
    /// </summary>
    public static readonly WireProfile Aws = new()
    {
        Name = AwsName,
        User = ScimSchemas.User.With(
            ("userName", a => a with { MaxLength = 128 }),
            ("externalId", a => a with { MaxLength = 256 }),
            ("name", Required), ("name.givenName", Required), ("name.familyName", Required), ("displayName", Required), // R-USR-3, P-2
            ("ims", Rejected), ("photos", Rejected), ("entitlements", Rejected), ("x509Certificates", Rejected), // R-USR-4
            ("emails.display", Rejected), ("phoneNumbers.display", Rejected), ("roles.display", Rejected),
            ("roles", a => a with { Support = AttributeSupport.NotPatchable })), // R-PAT-10
        EnterpriseUser = ScimSchemas.EnterpriseUser.With(("manager.displayName", Rejected)), // R-USR-4
        Group = ScimSchemas.Group.With(("externalId", a => a with { MaxLength = 256 })),
        AwsStringRules = true,
        ReservedNames = ["Administrator", "AWSAdministrators"],
        SingleValueAttributes = ["emails", "phoneNumbers", "addresses", "roles"],
        SoleEmailIsPrimary = true,
        UniqueTypeAttributes = [],
        GroupsRefusedOnCreate = true,
        SchemasRequired = false,
        MaxMembershipChanges = 100,
        PatchOncePerRequest = ["userName", "active"],
        PatchUnremovable = ["active"],
        PatchReplacesAllMembers = false,
        UserPatchAnswersResource = true,
        GroupPatchAnswersResource = false,
        ContentType = "application/json; charset=utf-8",
        Locations = false,
        ETags = false,
        Projection = false,
        ReturnsMemberships = false,
        StrictCount = true,
        Cursors = true,
        UnknownMemberIsNotFound = true,
        Filter = FilterLanguage.AwsSubset,
        Sort = false,
        Search = false,
        PutGroups = false,
        ResourceTypeById = false,
        FilterForbiddenOnDiscovery = false,
        EnterpriseExtensionRequired = true,
        UnservedStatus = 404,
        Bulk = null,
    };
}
