using System.Globalization;

namespace IdentityDirectory.Scim;

/// <summary>Weak ETags from a resource's version (R-ETAG-1) and the preconditions that compare with them (R-ETAG-2, R-ETAG-3).</summary>
public static class ETags
{
    public static string Of(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>R-ETAG-2: an <c>If-Match</c> that names no current version → 412; <c>*</c> matches any existing resource.</summary>
    public static void CheckIfMatch(ScimRequest? request, long version)
    {
        if (request is { Profile.ETags: true, Preconditions.IfMatch: { } ifMatch } && !Matches(ifMatch, version))
            throw new ScimException(412, null, $"The resource's version is {Of(version)}, not {ifMatch}.");
    }

    /// <summary>R-ETAG-3: an <c>If-None-Match</c> that names the current version (or <c>*</c>).</summary>
    public static bool NotModified(ScimRequest request, long version) =>
        request is { Profile.ETags: true, Preconditions.IfNoneMatch: { } ifNoneMatch } && Matches(ifNoneMatch, version);

    /// <summary>A list of entity tags, weak or strong, compared weakly (RFC 9110 §8.8.3.2), as SCIM's versions are weak.</summary>
    private static bool Matches(string header, long version)
    {
        var current = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
        foreach (var part in header.Split(','))
        {
            var tag = part.Trim();
            if (tag == "*")
                return true;
            if (tag.StartsWith("W/", StringComparison.Ordinal))
                tag = tag[2..];
            if (tag == current)
                return true;
        }
        return false;
    }
}
