namespace IdentityDirectory.Scim;

/// <summary>
/// The User, EnterpriseUser and Group schemas as RFC 7643 §4 and §8.7.1 define them (R-USR-1..11,
/// R-GRP-1): the rfc profile serves them as they are, the aws profile restricts them
/// (<see cref="WireProfile.Aws"/>). Written once, so the profiles differ only by their restrictions.
/// </summary>
public static class ScimSchemas
{
    private static AttributeDefinition Str(string name, bool required = false, bool caseExact = false) =>
        new(name, AttributeType.String, Required: required, CaseExact: caseExact);

    private static AttributeDefinition Bool(string name) => new(name, AttributeType.Boolean);

    private static AttributeDefinition Ref(string name, params string[] referenceTypes) =>
        new(name, AttributeType.Reference, ReferenceTypes: referenceTypes);

    private static AttributeDefinition MultiComplex(string name, params AttributeDefinition[] subAttributes) =>
        new(name, AttributeType.Complex, MultiValued: true, SubAttributes: subAttributes);

    /// <summary>The sub-attributes of the plain multi-valued attributes (RFC 7643 §2.4): value, display, type, primary.</summary>
    private static AttributeDefinition Labelled(string name, AttributeType valueType = AttributeType.String) =>
        MultiComplex(name, new AttributeDefinition("value", valueType, ReferenceTypes: valueType == AttributeType.Reference ? ["external"] : null),
            Str("display"), Str("type"), Bool("primary"));

    private static AttributeDefinition Id() =>
        new("id", CaseExact: true, Mutability: Mutability.ReadOnly, Returned: Returned.Always, Uniqueness: "server", Support: AttributeSupport.ServerOwned);

    public static readonly SchemaDefinition User = new(ScimSchemaUris.User, "User", "User Account",
    [
        Id(),
        Str("externalId", caseExact: true),
        new("userName", Required: true, Uniqueness: "server"),
        new("name", AttributeType.Complex, SubAttributes:
        [
            Str("formatted"), Str("familyName"), Str("givenName"), Str("middleName"), Str("honorificPrefix"), Str("honorificSuffix"),
        ]),
        Str("displayName"),
        Str("nickName"),
        Ref("profileUrl", "external"),
        Str("title"),
        Str("userType"),
        Str("preferredLanguage"),
        Str("locale"),
        Str("timezone"),
        Bool("active"),
        new("password", Mutability: Mutability.WriteOnly, Returned: Returned.Never, Support: AttributeSupport.Ignored),
        Labelled("emails"),
        Labelled("phoneNumbers"),
        Labelled("ims"),
        Labelled("photos", AttributeType.Reference),
        MultiComplex("addresses",
            Str("formatted"), Str("streetAddress"), Str("locality"), Str("region"), Str("postalCode"), Str("country"),
            Str("type"), Bool("primary")),
        new("groups", AttributeType.Complex, MultiValued: true, Mutability: Mutability.ReadOnly, Support: AttributeSupport.ServerOwned, SubAttributes:
        [
            new("value", CaseExact: true, Mutability: Mutability.ReadOnly), Ref("$ref", "User", "Group") with { Mutability = Mutability.ReadOnly },
            new("display", Mutability: Mutability.ReadOnly), new("type", Mutability: Mutability.ReadOnly),
        ]),
        Labelled("entitlements"),
        Labelled("roles"),
        Labelled("x509Certificates", AttributeType.Binary),
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
            Str("value", caseExact: true), Ref("$ref", "User"),
            new("displayName", Mutability: Mutability.ReadOnly, Support: AttributeSupport.ServerOwned),
        ]),
    ]);

    /// <summary>Group displayName is unique per tenant in both profiles (R-GRP-2), so it is declared <c>server</c>.</summary>
    public static readonly SchemaDefinition Group = new(ScimSchemaUris.Group, "Group", "Group",
    [
        Id(),
        Str("externalId", caseExact: true),
        new("displayName", Required: true, Uniqueness: "server"),
        new("members", AttributeType.Complex, MultiValued: true, SubAttributes:
        [
            new("value", CaseExact: true, Mutability: Mutability.Immutable), Ref("$ref", "User", "Group") with { Mutability = Mutability.Immutable },
            new("display", Mutability: Mutability.Immutable), new("type", Mutability: Mutability.Immutable),
        ]),
    ]);
}
