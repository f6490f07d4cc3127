namespace IdentityDirectory.Scim;

/// <summary>The User, EnterpriseUser and Group schemas as the aws profile supports them (R-USR-1..11, R-GRP-1).</summary>
public static class ScimSchemas
{
    private static AttributeDefinition Str(string name, int maxLength = 1024, bool required = false, bool caseExact = false, AwsSupport support = AwsSupport.Supported) =>
        new(name, AttributeType.String, Required: required, CaseExact: caseExact, MaxLength: maxLength, Support: support);

    private static AttributeDefinition Bool(string name) => new(name, AttributeType.Boolean);

    private static AttributeDefinition Rejected(string name, AttributeType type = AttributeType.String) =>
        new(name, type, Support: AwsSupport.Rejected);

    private static AttributeDefinition MultiComplex(string name, AwsSupport support, params AttributeDefinition[] subAttributes) =>
        new(name, AttributeType.Complex, MultiValued: true, Support: support, SubAttributes: subAttributes);

    public static readonly SchemaDefinition User = new(ScimSchemaUris.User, "User", "User Account",
    [
        new("id", CaseExact: true, Mutability: Mutability.ReadOnly, Returned: Returned.Always, Uniqueness: "server", Support: AwsSupport.ServerOwned),
        Str("externalId", maxLength: 256, caseExact: true),
        new("userName", Required: true, Uniqueness: "server", MaxLength: 128),
        new("name", AttributeType.Complex, Required: true, SubAttributes:
        [
            Str("formatted"), Str("familyName", required: true), Str("givenName", required: true),
            Str("middleName"), Str("honorificPrefix"), Str("honorificSuffix"),
        ]),
        Str("displayName", required: true),
        Str("nickName"),
        new("profileUrl", AttributeType.Reference),
        Str("title"),
        Str("userType"),
        Str("preferredLanguage"),
        Str("locale"),
        Str("timezone"),
        Bool("active"),
        new("password", Mutability: Mutability.WriteOnly, Returned: Returned.Never, Support: AwsSupport.Ignored),
        MultiComplex("emails", AwsSupport.Supported, Str("value"), Rejected("display"), Str("type"), Bool("primary")),
        MultiComplex("phoneNumbers", AwsSupport.Supported, Str("value"), Rejected("display"), Str("type"), Bool("primary")),
        MultiComplex("ims", AwsSupport.Rejected, Str("value"), Str("display"), Str("type"), Bool("primary")),
        MultiComplex("photos", AwsSupport.Rejected, Str("value"), Str("display"), Str("type"), Bool("primary")),
        MultiComplex("addresses", AwsSupport.Supported,
            Str("formatted"), Str("streetAddress"), Str("locality"), Str("region"), Str("postalCode"), Str("country"),
            Str("type"), Bool("primary"), Rejected("display")),
        new("groups", AttributeType.Complex, MultiValued: true, Mutability: Mutability.ReadOnly, Support: AwsSupport.ServerOwned, SubAttributes:
        [
            new("value", CaseExact: true, Mutability: Mutability.ReadOnly), new("$ref", AttributeType.Reference, Mutability: Mutability.ReadOnly),
            new("display", Mutability: Mutability.ReadOnly), new("type", Mutability: Mutability.ReadOnly),
        ]),
        MultiComplex("entitlements", AwsSupport.Rejected, Str("value"), Str("display"), Str("type"), Bool("primary")),
        MultiComplex("roles", AwsSupport.NotPatchable, Str("value"), Str("type"), Bool("primary"), Rejected("display")),
        MultiComplex("x509Certificates", AwsSupport.Rejected, Str("value"), Str("display"), Str("type"), Bool("primary")),
    ]);

    public static readonly SchemaDefinition EnterpriseUser = new(ScimSchemaUris.EnterpriseUser, "EnterpriseUser", "Enterprise User",
    [
        Str("employeeNumber"),
        Str("costCenter"),
        Str("organization"),
        Str("division"),
        Str("department"),
        new("manager", AttributeType.Complex, SubAttributes:
        [
            Str("value", caseExact: true), new("$ref", AttributeType.Reference), Rejected("displayName"),
        ]),
    ]);

    public static readonly SchemaDefinition Group = new(ScimSchemaUris.Group, "Group", "Group",
    [
        new("id", CaseExact: true, Mutability: Mutability.ReadOnly, Returned: Returned.Always, Uniqueness: "server", Support: AwsSupport.ServerOwned),
        Str("externalId", maxLength: 256, caseExact: true),
        new("displayName", Required: true, Uniqueness: "server"),
        new("members", AttributeType.Complex, MultiValued: true, SubAttributes:
        [
            new("value", CaseExact: true, Mutability: Mutability.Immutable), new("$ref", AttributeType.Reference, Mutability: Mutability.Immutable),
            new("display", Mutability: Mutability.Immutable), new("type", Mutability: Mutability.Immutable),
        ]),
    ]);

    public static readonly IReadOnlyList<SchemaDefinition> All = [User, Group, EnterpriseUser];
}
