namespace IdentityDirectory.Scim;

/// <summary>
/// The one error type that crosses the grain boundary. The gateway renders it as a SCIM error body
/// (urn:ietf:params:scim:api:messages:2.0:Error) in exactly one place.
/// </summary>
[GenerateSerializer, Alias("IdentityDirectory.ScimException")]
public sealed class ScimException : Exception
{
    public ScimException(int status, string? scimType, string detail) : base(detail)
    {
        Status = status;
        ScimType = scimType;
        Detail = detail;
    }

    [Id(0)] public int Status { get; private set; }
    [Id(1)] public string? ScimType { get; private set; }
    [Id(2)] public string Detail { get; private set; }

    /// <summary>When to try again, for a 429 (R-GEN-7): sent as <c>Retry-After</c>.</summary>
    [Id(3)] public TimeSpan? RetryAfter { get; private set; }

    public const string GeneralBadRequest = "Request is unparsable, syntactically incorrect, or violates schema.";
    public const string DuplicateResource = "Refused to create a new, duplicate resource.";

    public static ScimException InvalidSyntax(string detail = GeneralBadRequest) => new(400, ScimTypes.InvalidSyntax, detail);
    public static ScimException InvalidValue(string detail) => new(400, ScimTypes.InvalidValue, detail);
    public static ScimException InvalidFilter(string detail) => new(400, ScimTypes.InvalidFilter, detail);
    public static ScimException Mutability(string detail) => new(400, ScimTypes.Mutability, detail);
    public static ScimException NoTarget(string detail) => new(400, ScimTypes.NoTarget, detail);
    public static ScimException InvalidPath(string detail) => new(400, ScimTypes.InvalidPath, detail);
    public static ScimException Uniqueness(string detail = DuplicateResource) => new(409, ScimTypes.Uniqueness, detail);
    public static ScimException NotFound(string detail) => new(404, null, detail);
    public static ScimException Unauthorized() => new(401, null, "The request could not be authenticated.");
    /// <summary>The cluster did not answer in time, as while a silo that died is replaced: the request may have been applied.</summary>
    public static ScimException Unavailable() =>
        new(503, null, "ServiceUnavailable: the directory did not answer in time; retry the request, which may have been applied.") { RetryAfter = TimeSpan.FromSeconds(1) };

    public static ScimException Throttled(TimeSpan retryAfter) =>
        new(429, null, "ThrottlingException: rate exceeded; retry after the time in Retry-After.") { RetryAfter = retryAfter };
}

public static class ScimTypes
{
    public const string InvalidFilter = "invalidFilter";
    public const string TooMany = "tooMany";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string NoTarget = "noTarget";
    public const string InvalidValue = "invalidValue";
    public const string InvalidVers = "invalidVers";
}
