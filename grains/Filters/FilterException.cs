namespace IdentityDirectory.Filters;

public enum FilterErrorKind
{
    /// <summary>Not a filter of the grammar (RFC 7644 §3.4.2.2).</summary>
    Malformed,
    /// <summary>A word where an operator belongs that is none of eq ne co sw ew gt ge lt le pr.</summary>
    UnknownOperator,
    /// <summary>A name the resource type's schemas do not define.</summary>
    UnknownAttribute,
    /// <summary>A value of another type than the attribute's (a number for a string, a bad dateTime).</summary>
    InvalidValue,
    /// <summary>An operator that does not apply to the attribute's type (<c>active gt true</c>, R-FLT-3).</summary>
    InvalidOperator,
    /// <summary>An attribute that exists but cannot be filtered on (<c>password</c>, a complex attribute compared to a value).</summary>
    NotFilterable,
}

/// <summary>Why a filter was refused; each wire profile words it as a SCIM <c>invalidFilter</c> error (R-FLT-4).</summary>
public sealed class FilterException(FilterErrorKind kind, string message, string? subject = null) : Exception(message)
{
    public FilterErrorKind Kind { get; } = kind;

    /// <summary>The attribute path, or for an operator error the operator, as the client wrote it.</summary>
    public string? Subject { get; } = subject;
}
