using IdentityDirectory.Scim;

namespace IdentityDirectory.Filters;

/// <summary>
/// What a wire profile answers of the list parameters <c>filter</c>, <c>sortBy</c> and
/// <c>sortOrder</c>: the part of a tenant's profile that the query grain consults. Both profiles
/// parse with one grammar into one tree, which the store answers alike; a profile refuses what it
/// does not serve before the store sees it.
/// </summary>
public abstract class FilterCapability
{
    /// <summary>R-FLT-6: <c>eq</c> joined by <c>and</c> on the listed attributes; sorting ignored (R-LST-5 [AWS]).</summary>
    public static readonly FilterCapability Aws = new AwsFilterSubset();

    /// <summary>The operator's search of users (admin API, console): the aws subset and <c>displayName eq</c>.</summary>
    public static readonly FilterCapability Operator = new AwsFilterSubset(operatorSearch: true);

    /// <summary>R-FLT-1..5, R-LST-5: the whole language.</summary>
    public static readonly FilterCapability Rfc = new FullFilterLanguage();

    public static FilterCapability For(FilterLanguage language) => language == FilterLanguage.Full ? Rfc : Aws;

    /// <summary>The filter as a tree, or null for none.</summary>
    /// <exception cref="ScimException">400 invalidFilter, worded as the profile words it.</exception>
    public abstract FilterExpression? Parse(string? filter, FilterScope scope);

    /// <summary>The order of a list (R-LST-5), or null for the stable default order (R-LST-2).</summary>
    /// <exception cref="ScimException">400 invalidFilter for an attribute that cannot order a list; 400 invalidValue for a bad sortOrder.</exception>
    public ResourceSort? Sort(string? sortBy, string? sortOrder, FilterScope scope)
    {
        if (string.IsNullOrWhiteSpace(sortBy))
            return null;
        var descending = sortOrder?.ToLowerInvariant() switch
        {
            null or "" or "ascending" => false,
            "descending" => true,
            _ => throw ScimException.InvalidValue($"sortOrder must be 'ascending' or 'descending', not '{sortOrder}'."),
        };
        try
        {
            return new ResourceSort(FilterSyntax.ParseSortBy(sortBy, scope), descending);
        }
        catch (FilterException e)
        {
            throw ScimException.InvalidFilter(e.Message);
        }
    }

    private sealed class FullFilterLanguage : FilterCapability
    {
        public override FilterExpression? Parse(string? filter, FilterScope scope)
        {
            if (string.IsNullOrWhiteSpace(filter))
                return null;
            try
            {
                return FilterSyntax.Parse(filter, scope);
            }
            catch (FilterException e)
            {
                throw ScimException.InvalidFilter(e.Message);
            }
        }
    }
}

/// <summary>A list's order: by one attribute, then by the store's insertion order, so it is stable (R-LST-2, R-LST-5).</summary>
public sealed record ResourceSort(FilterAttribute Attribute, bool Descending);
