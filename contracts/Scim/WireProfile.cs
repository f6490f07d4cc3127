using System.Collections.Concurrent;

namespace IdentityDirectory.Scim;

/// <summary>
/// A wire profile (O-3): everything in which the SCIM surface of an <c>aws</c> tenant differs from
/// that of an <c>rfc</c> tenant, each difference one property here, named after the rule it serves.
/// The two profiles are <see cref="Aws"/> (WireProfile.Aws.cs) and <see cref="Rfc"/>
/// (WireProfile.Rfc.cs); what both do is written once, in the code that reads these properties. The
/// gateway looks a tenant's profile up once per request (its settings cache) and hands it to the
/// grain with the request (<see cref="ScimRequest"/>, <c>ListRequest</c>); across silos only its name
/// and the tenant's options travel (<see cref="WireProfileSurrogate"/>).
/// </summary>
[Immutable, Alias("IdentityDirectory.WireProfile")]
public sealed partial record WireProfile
{
    public const string AwsName = "aws";
    public const string RfcName = "rfc";

    public required string Name { get; init; }

    /// <summary>The options of the tenant this instance serves (O-3); profiles that have no use for one ignore it.</summary>
    public TenantProfileOptions Options { get; init; }

    // ------------------------------------------------------------ schemas and attribute rules

    /// <summary>R-USR-1..4, R-USR-9: the User schema as this profile supports it (required attributes, refused ones, lengths).</summary>
    public required SchemaDefinition User { get; init; }

    public required SchemaDefinition EnterpriseUser { get; init; }

    /// <summary>R-GRP-1..3.</summary>
    public required SchemaDefinition Group { get; init; }

    /// <summary>R-USR-9, R-ERR-4 [AWS]: every string matches AWS's pattern, 1 to <see cref="AttributeDefinition.MaxLength"/> (default 1024) characters, refused in AWS's wording; false: any string.</summary>
    public required bool AwsStringRules { get; init; }

    /// <summary>R-USR-9 [AWS]: userNames and group displayNames that cannot be used.</summary>
    public required IReadOnlyList<string> ReservedNames { get; init; }

    /// <summary>R-USR-5, P-3 [AWS]: multi-valued attributes that hold at most one value.</summary>
    public required IReadOnlyList<string> SingleValueAttributes { get; init; }

    /// <summary>R-USR-5 [AWS]: the one email is primary (stored so when not said; <c>primary:false</c> refused). False: R-USR-7, at most one primary per attribute.</summary>
    public required bool SoleEmailIsPrimary { get; init; }

    /// <summary>R-USR-7 [RFC]: multi-valued attributes whose <c>type</c> values are unique within the attribute (Entra).</summary>
    public required IReadOnlyList<string> UniqueTypeAttributes { get; init; }

    /// <summary>R-USR-6 [AWS]: a non-empty <c>groups</c> on create is refused; false: ignored like any readOnly attribute (RFC 7643 §2.2).</summary>
    public required bool GroupsRefusedOnCreate { get; init; }

    /// <summary>R-ERR-3, R-CRUD-1, R-PAT-1, R-SRCH-1: a body without <c>schemas</c> is refused (invalidSyntax); false: the message's URN is assumed.</summary>
    public required bool SchemasRequired { get; init; }

    /// <summary>R-CRUD-2, R-PAT-11, R-AWS-2 [AWS]: membership changes one request may hold; null: no limit beyond the body size.</summary>
    public required int? MaxMembershipChanges { get; init; }

    // ------------------------------------------------------------ PATCH

    /// <summary>R-PAT-10 [AWS]: attributes that at most one operation of a request may target.</summary>
    public required IReadOnlyList<string> PatchOncePerRequest { get; init; }

    /// <summary>R-PAT-6, R-PAT-10: attributes a remove is refused on (mutability), besides the required ones.</summary>
    public required IReadOnlyList<string> PatchUnremovable { get; init; }

    /// <summary>R-PAT-11 [AWS] refuses them: replacing the whole member list, and removing every member at once.</summary>
    public required bool PatchReplacesAllMembers { get; init; }

    /// <summary>R-PAT-3: a user PATCH answers 200 with the user; false: 204 without a body.</summary>
    public required bool UserPatchAnswersResource { get; init; }

    /// <summary>R-PAT-4: a group PATCH answers 200 with the group; false: 204 without a body.</summary>
    public required bool GroupPatchAnswersResource { get; init; }

    // ------------------------------------------------------------ representation

    /// <summary>R-GEN-4: the Content-Type of every SCIM response with a body, errors included.</summary>
    public required string ContentType { get; init; }

    /// <summary>R-META-3: <c>meta.location</c> and a <c>Location</c> header on 201.</summary>
    public required bool Locations { get; init; }

    /// <summary>R-META-3, R-ETAG-1..3: <c>meta.version</c>, the <c>ETag</c> header, <c>If-Match</c> and <c>If-None-Match</c>.</summary>
    public required bool ETags { get; init; }

    /// <summary>R-CRUD-7: <c>attributes</c> and <c>excludedAttributes</c> shape every resource answered; false: they are ignored.</summary>
    public required bool Projection { get; init; }

    /// <summary>R-GRP-4, R-USR-2: a group's <c>members</c> and a user's <c>groups</c> are returned; false: <c>members</c> is always <c>[]</c> and <c>groups</c> absent.</summary>
    public required bool ReturnsMemberships { get; init; }

    // ------------------------------------------------------------ lists and filters

    /// <summary>R-LST-3 [AWS]: a <c>count</c> outside 1..100 is refused; false (R-LST-2): negative reads as 0, above the maximum as the maximum.</summary>
    public required bool StrictCount { get; init; }

    /// <summary>R-LST-3 [AWS]: <c>cursor</c> switches to keyset paging; false: the parameter is ignored.</summary>
    public required bool Cursors { get; init; }

    /// <summary>R-FLT-7: a membership filter naming a user that does not exist is 404; false: no results.</summary>
    public required bool UnknownMemberIsNotFound { get; init; }

    /// <summary>R-FLT-1, R-FLT-6: how much of the filter language this profile accepts.</summary>
    public required FilterLanguage Filter { get; init; }

    /// <summary>R-LST-5: <c>sortBy</c>/<c>sortOrder</c> are honoured and <c>sort.supported</c> says so.</summary>
    public required bool Sort { get; init; }

    // ------------------------------------------------------------ endpoints

    /// <summary>R-SRCH-1, R-DISC-5: <c>POST …/.search</c> on Users, Groups and the root.</summary>
    public required bool Search { get; init; }

    /// <summary>R-CRUD-5: <c>PUT /Groups/{id}</c>; false: 400.</summary>
    public required bool PutGroups { get; init; }

    /// <summary>R-DISC-2: <c>GET /ResourceTypes/{name}</c>.</summary>
    public required bool ResourceTypeById { get; init; }

    /// <summary>R-DISC-4: a <c>filter</c> on a discovery endpoint is 403; false: ignored.</summary>
    public required bool FilterForbiddenOnDiscovery { get; init; }

    /// <summary>R-DISC-2: whether ResourceTypes declares the enterprise extension required.</summary>
    public required bool EnterpriseExtensionRequired { get; init; }

    /// <summary>R-DISC-5: the status of an endpoint this profile does not serve (<c>/Me</c>, and <c>/Bulk</c> while Bulk is off).</summary>
    public required int UnservedStatus { get; init; }

    /// <summary>R-BULK-1..2: <c>POST /Bulk</c> and its limits; null: the endpoint does not exist in this profile.</summary>
    public BulkRules? Bulk { get; init; }

    private static readonly ConcurrentDictionary<(string, TenantProfileOptions), WireProfile> Instances = new();

    public static IReadOnlyList<string> Names { get; } = [AwsName, RfcName];

    /// <summary>The profile named <paramref name="name"/> as a tenant with <paramref name="options"/> is served; one instance per combination.</summary>
    public static WireProfile For(string name, TenantProfileOptions options) =>
        Instances.GetOrAdd((name, options), key => key.Item1 switch
        {
            AwsName => Aws,
            RfcName => Rfc.WithOptions(key.Item2),
            _ => throw ScimException.InvalidValue($"The wire profile must be one of: {string.Join(", ", Names)}."),
        });

    /// <summary>The schemas a tenant of this profile serves, in the order of /Schemas.</summary>
    public IReadOnlyList<SchemaDefinition> Schemas => [User, Group, EnterpriseUser];

    /// <summary>The schema of a resource type's core: <see cref="User"/> or <see cref="Group"/>.</summary>
    public SchemaDefinition CoreOf(ResourceType type) => type == ResourceType.User ? User : Group;

    /// <summary>The extension a resource type allows, or null.</summary>
    public SchemaDefinition? ExtensionOf(ResourceType type) => type == ResourceType.User ? EnterpriseUser : null;

    /// <summary>The error for an endpoint this profile does not serve (R-DISC-5).</summary>
    public ScimException Unserved(string what) => new(UnservedStatus, null, $"{what} is not supported.");
}

/// <summary>The options of a tenant's profile (O-3): only the rfc profile reads them.</summary>
/// <param name="PatchNoContent">R-PAT-3/4 [RFC]: user and group PATCH answer 204 instead of 200 with the resource.</param>
/// <param name="BulkEnabled">R-BULK-1: <c>POST /Bulk</c> is served.</param>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.TenantProfileOptions")]
public readonly record struct TenantProfileOptions([property: Id(0)] bool PatchNoContent, [property: Id(1)] bool BulkEnabled);

/// <summary>R-BULK-1..2: whether Bulk is on and the limits ServiceProviderConfig advertises; over them is 413.</summary>
public sealed record BulkRules(bool Enabled, int MaxOperations, int MaxPayloadSize);

/// <summary>How much of the RFC 7644 §3.4.2.2 filter language a profile accepts.</summary>
public enum FilterLanguage
{
    /// <summary>R-FLT-6: <c>eq</c> joined by <c>and</c>, on the attributes AWS lists.</summary>
    AwsSubset,
    /// <summary>R-FLT-1..5: the whole grammar.</summary>
    Full,
}

public enum ResourceType { User, Group }

/// <summary>What crosses a silo boundary in place of a <see cref="WireProfile"/>: its name and the tenant's options.</summary>
[GenerateSerializer, Immutable, Alias("IdentityDirectory.WireProfileSurrogate")]
public readonly record struct WireProfileSurrogate([property: Id(0)] string Name, [property: Id(1)] TenantProfileOptions Options);

[RegisterConverter]
public sealed class WireProfileConverter : IConverter<WireProfile, WireProfileSurrogate>
{
    public WireProfile ConvertFromSurrogate(in WireProfileSurrogate surrogate) => WireProfile.For(surrogate.Name, surrogate.Options);

    public WireProfileSurrogate ConvertToSurrogate(in WireProfile value) => new(value.Name, value.Options);
}
