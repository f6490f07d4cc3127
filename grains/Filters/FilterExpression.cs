using IdentityDirectory.Scim;

namespace IdentityDirectory.Filters;

/// <summary>
/// A SCIM filter (RFC 7644 §3.4.2.2) as a tree, its attributes resolved against the attribute model:
/// what the query grain hands to the store, which compiles it to SQL, and what a reference evaluates.
/// </summary>
public abstract record FilterExpression;

public sealed record AndFilter(FilterExpression Left, FilterExpression Right) : FilterExpression;

public sealed record OrFilter(FilterExpression Left, FilterExpression Right) : FilterExpression;

public sealed record NotFilter(FilterExpression Operand) : FilterExpression;

/// <summary>
/// <c>attribute op value</c>, or <c>attribute pr</c>. <see cref="Value"/> is of the attribute's type: a
/// <see cref="string"/>, a <see cref="bool"/> or a <see cref="DateTimeOffset"/>; null for <c>pr</c> and for
/// <c>eq null</c> / <c>ne null</c> (unassigned, RFC 7643 §2.5). A comparison on a multi-valued
/// attribute holds when it holds for any of its values (R-FLT-3); one on an unassigned attribute never holds.
/// </summary>
public sealed record AttributeFilter(FilterAttribute Attribute, FilterOperator Operator, object? Value) : FilterExpression;

/// <summary><c>emails[type eq "work" and value co "@x"]</c>: one value of the multi-valued <see cref="Attribute"/> satisfies all of <see cref="Filter"/>.</summary>
public sealed record ValuePathFilter(FilterAttribute Attribute, FilterExpression Filter) : FilterExpression;

public enum FilterOperator { Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le, Pr }

/// <summary>
/// A resolved attribute path: <c>userName</c>, <c>name.familyName</c>, <c>emails.value</c>,
/// <c>urn:…:enterprise:2.0:User:manager.value</c>, <c>meta.lastModified</c>. <see cref="Sub"/> is set
/// for a sub-attribute, also inside a value path, where <see cref="Attribute"/> is the multi-valued parent.
/// </summary>
public sealed record FilterAttribute(string SchemaId, AttributeDefinition Attribute, AttributeDefinition? Sub = null)
{
    public AttributeDefinition Leaf => Sub ?? Attribute;

    public bool IsExtension => SchemaId is not (ScimSchemaUris.User or ScimSchemaUris.Group);

    /// <summary>Whether strings compare as written; otherwise after <see cref="FilterText.Fold"/> (R-FLT-2).</summary>
    public bool CaseExact => Leaf.CaseExact;

    /// <summary>Names the attribute as the product writes it, e.g. in an error or in the store's mapping.</summary>
    public string Path => (IsExtension ? SchemaId + ":" : "") + Attribute.Name + (Sub is null ? "" : "." + Sub.Name);

    public override string ToString() => Path;
}

/// <summary>The one case rule of the filters, the sort and the store's lower-cased keys.</summary>
public static class FilterText
{
    public static string Fold(string value) => value.ToLowerInvariant();
}
