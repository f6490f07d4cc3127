namespace IdentityDirectory.Scim;

/// <summary>
/// The attributes every resource has beside its schema's (RFC 7643 §3.1). <c>id</c> and
/// <c>externalId</c> sit in each schema; <c>meta</c>, which no schema document lists, is here so that
/// filters and sorting resolve <c>meta.created</c> and <c>meta.lastModified</c> by the same model.
/// </summary>
public static class CommonAttributes
{
    public static readonly AttributeDefinition Meta = new("meta", AttributeType.Complex, Mutability: Mutability.ReadOnly,
        Support: AttributeSupport.ServerOwned, SubAttributes:
        [
            new("resourceType", CaseExact: true, Mutability: Mutability.ReadOnly),
            new("created", AttributeType.DateTime, Mutability: Mutability.ReadOnly),
            new("lastModified", AttributeType.DateTime, Mutability: Mutability.ReadOnly),
            new("location", AttributeType.Reference, CaseExact: true, Mutability: Mutability.ReadOnly),
            new("version", CaseExact: true, Mutability: Mutability.ReadOnly),
        ]);
}
