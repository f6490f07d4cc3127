namespace IdentityDirectory.Scim;

public enum AttributeType { String, Boolean, Complex, Reference, DateTime, Binary }

public enum Mutability { ReadWrite, ReadOnly, Immutable, WriteOnly }

public enum Returned { Default, Always, Never, Request }

/// <summary>How a wire profile treats an attribute that RFC 7643 defines.</summary>
public enum AttributeSupport
{
    /// <summary>Stored, returned, patchable.</summary>
    Supported,
    /// <summary>Stored and returned, but not modifiable by PATCH (R-PAT-10 [AWS]: roles).</summary>
    NotPatchable,
    /// <summary>Accepted on every verb and never stored (R-USR-4: password).</summary>
    Ignored,
    /// <summary>Refused with 400 (R-USR-4 [AWS]: ims, photos, x509Certificates, entitlements, display sub-attributes).</summary>
    Rejected,
    /// <summary>Server-owned: ignored in resource bodies, refused as a PATCH target (R-PAT-9).</summary>
    ServerOwned,
}

/// <summary>
/// One attribute of a SCIM schema. The same definitions drive body validation, PATCH paths,
/// filters and the /Schemas document, so they are the single source of the attribute rules.
/// </summary>
/// <param name="MaxLength">the longest value a profile's string rule allows; null: the profile's default.</param>
/// <param name="ReferenceTypes">what a reference may point at (RFC 7643 §7); null: <c>external</c>.</param>
public sealed record AttributeDefinition(
    string Name,
    AttributeType Type = AttributeType.String,
    bool MultiValued = false,
    bool Required = false,
    bool CaseExact = false,
    Mutability Mutability = Mutability.ReadWrite,
    Returned Returned = Returned.Default,
    string Uniqueness = "none",
    AttributeSupport Support = AttributeSupport.Supported,
    int? MaxLength = null,
    IReadOnlyList<string>? ReferenceTypes = null,
    IReadOnlyList<AttributeDefinition>? SubAttributes = null)
{
    public IReadOnlyList<AttributeDefinition> Children => SubAttributes ?? [];

    public AttributeDefinition? Find(string name) =>
        Children.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>This attribute with <paramref name="change"/> applied to the sub-attribute named <paramref name="name"/>.</summary>
    public AttributeDefinition WithChild(string name, Func<AttributeDefinition, AttributeDefinition> change) =>
        this with { SubAttributes = Children.Select(a => a.Name == name ? change(a) : a).ToList() };
}

/// <summary>A schema: its URN, name and top-level attributes.</summary>
public sealed record SchemaDefinition(string Id, string Name, string Description, IReadOnlyList<AttributeDefinition> Attributes)
{
    public AttributeDefinition? Find(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// This schema as a profile restricts it: each change names an attribute (<c>name</c> or
    /// <c>name.sub</c>) and says what becomes of its definition; every other attribute stays as it is.
    /// </summary>
    public SchemaDefinition With(params (string Path, Func<AttributeDefinition, AttributeDefinition> Change)[] changes)
    {
        var attributes = Attributes.ToList();
        foreach (var (path, change) in changes)
        {
            var dot = path.IndexOf('.');
            var name = dot < 0 ? path : path[..dot];
            var index = attributes.FindIndex(a => a.Name == name);
            if (index < 0)
                throw new ArgumentException($"{Id} has no attribute '{name}'.", nameof(changes));
            attributes[index] = dot < 0 ? change(attributes[index]) : attributes[index].WithChild(path[(dot + 1)..], change);
        }
        return this with { Attributes = attributes };
    }
}
