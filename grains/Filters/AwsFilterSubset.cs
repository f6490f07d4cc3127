using IdentityDirectory.Scim;

namespace IdentityDirectory.Filters;

/// <summary>
/// The aws profile's filters (R-FLT-6): <c>&lt;attr&gt; eq "&lt;value&gt;"</c> terms joined by <c>and</c>,
/// each attribute once, in the combinations AWS lists: users by <c>userName</c>, <c>externalId</c>,
/// <c>id</c>, <c>groups.value</c> or <c>id and manager</c>; groups by <c>displayName</c>,
/// <c>externalId</c>, <c>id</c>, <c>members.value</c> or <c>id and members</c>. A refusal is worded as
/// the profile has always worded it.
/// </summary>
/// <param name="operatorSearch">the operator's search, which may also find users by <c>displayName</c>; SCIM clients of the aws profile may not.</param>
internal sealed class AwsFilterSubset(bool operatorSearch = false) : FilterCapability
{
    private static readonly string[][] UserForms = [["userName"], ["externalId"], ["id"], ["groups.value"], ["id", ManagerValue]];
    private static readonly string[][] OperatorUserForms = [.. UserForms, ["displayName"]];
    private static readonly string[][] GroupForms = [["displayName"], ["externalId"], ["id"], ["members.value"], ["id", "members.value"]];
    private const string ManagerValue = ScimSchemaUris.EnterpriseUser + ":manager.value";

    public override FilterExpression? Parse(string? filter, FilterScope scope)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return null;
        FilterExpression expression;
        try
        {
            // Grouping has never been part of the subset; a bracket is a malformed filter here.
            expression = FilterSyntax.Parse(filter, scope, booleansAsText: true, brackets: false);
        }
        catch (FilterException e)
        {
            throw e.Kind switch
            {
                FilterErrorKind.UnknownOperator or FilterErrorKind.InvalidOperator => UnsupportedOperator(e.Subject!),
                FilterErrorKind.UnknownAttribute or FilterErrorKind.NotFilterable => UnsupportedAttribute(scope, e.Subject!),
                FilterErrorKind.InvalidValue => UnsupportedValue(),
                _ => Malformed(filter),
            };
        }

        var terms = new List<AttributeFilter>(2);
        Collect(expression, terms, filter);
        var forms = scope != FilterScope.Users ? GroupForms : operatorSearch ? OperatorUserForms : UserForms;
        var attributes = new string[terms.Count];
        for (var i = 0; i < terms.Count; i++)
            attributes[i] = Supported(forms, scope, terms[i].Attribute.Path);
        if (!Array.Exists(forms, form => form.Length == attributes.Length && Array.TrueForAll(form, a => Array.IndexOf(attributes, a) >= 0)))
            throw ScimException.InvalidFilter($"The filter '{filter}' is not supported.");
        return expression;
    }

    /// <summary>The terms of an <c>and</c> chain, left to right, refusing anything else where it stands.</summary>
    private static void Collect(FilterExpression expression, List<AttributeFilter> terms, string filter)
    {
        switch (expression)
        {
            case AndFilter all:
                Collect(all.Left, terms, filter);
                Collect(all.Right, terms, filter);
                break;
            case OrFilter any:
                Collect(any.Left, terms, filter);
                throw ScimException.InvalidFilter("'or' is not supported; only 'and' may join filter terms.");
            case AttributeFilter { Operator: FilterOperator.Pr }:
                throw Malformed(filter);
            case AttributeFilter { Operator: not FilterOperator.Eq } term:
                throw UnsupportedOperator(term.Operator.ToString().ToLowerInvariant());
            case AttributeFilter { Value: null }:
                throw UnsupportedValue();
            case AttributeFilter term:
                terms.Add(term);
                break;
            default:
                throw Malformed(filter);
        }
    }

    private static string Supported(string[][] forms, FilterScope scope, string path) =>
        Array.Exists(forms, form => Array.IndexOf(form, path) >= 0) ? path : throw UnsupportedAttribute(scope, path);

    private static ScimException UnsupportedOperator(string op) =>
        ScimException.InvalidFilter($"Operator '{op}' is not supported; only 'eq' filters are supported.");

    private static ScimException UnsupportedAttribute(FilterScope scope, string path) =>
        ScimException.InvalidFilter($"Filtering {(scope == FilterScope.Users ? "users" : "groups")} on '{path}' is not supported.");

    private static ScimException UnsupportedValue() => ScimException.InvalidFilter("Filter values must be quoted strings or booleans.");

    private static ScimException Malformed(string filter) => ScimException.InvalidFilter($"The filter '{filter}' is malformed.");
}
