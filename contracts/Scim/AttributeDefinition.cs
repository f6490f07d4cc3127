namespace IdentityDirectory.Scim;

public enum AttributeType { String, Boolean, Complex, Reference, DateTime }

public enum Mutability { ReadWrite, ReadOnly, Immutable, WriteOnly }

public enum Returned { Default, Always, Never, Request }

/// <summary>How the aws profile treats an attribute that RFC 7643 defines.</summary>
public enum AwsSupport
{
    /// <summary>Stored, returned, patchable.</summary>
    Supported,
    /// <summary>Stored and returned, but not modifiable by PATCH (R-PAT-10: roles).</summary>
    NotPatchable,
    /// <summary>Accepted on every verb and never stored (R-USR-4: password).</summary>
    Ignored,
    /// <summary>Refused with 400 (R-USR-4: ims, photos, x509Certificates, entitlements, display sub-attributes).</summary>
    Rejected,
    /// <summary>Server-owned; ignored in resource bodies, refused as a PATCH target (R-PAT-9).</summary>
    ServerOwned,
}

/// <summary>
/// One attribute of a SCIM schema. The same definitions drive body validation, PATCH paths,
/// filters and the /Schemas document, so they are the single source of the attribute rules.
/// </summary>
public sealed record AttributeDefinition(
    string Name,
    AttributeType Type = AttributeType.String,
    bool MultiValued = false,
    bool Required = false,
    bool CaseExact = false,
    Mutability Mutability = Mutability.ReadWrite,
    Returned Returned = Returned.Default,
    string Uniqueness = "none",
    AwsSupport Support = AwsSupport.Supported,
    int MaxLength = 1024,
    string Description = "",
    IReadOnlyList<AttributeDefinition>? SubAttributes = null)
{
    public IReadOnlyList<AttributeDefinition> Children => SubAttributes ?? [];

    public AttributeDefinition? Find(string name) =>
        Children.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A schema: its URN, name and top-level attributes.</summary>
public sealed record SchemaDefinition(string Id, string Name, string Description, IReadOnlyList<AttributeDefinition> Attributes)
{
    public AttributeDefinition? Find(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}
