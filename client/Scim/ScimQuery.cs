using IdentityDirectory.Queries;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>The SCIM parameters of a query string (R-GEN-6: form-decoded), as sent; the grains read them by the profile's rules.</summary>
public static class ScimQuery
{
    public static ListQuery ListQueryOf(IQueryCollection query) =>
        new(Value(query, "filter"), Value(query, "startIndex"), Value(query, "count"), Value(query, "cursor"), Value(query, "sortBy"), Value(query, "sortOrder"));

    /// <summary>R-CRUD-7: <c>attributes</c> and <c>excludedAttributes</c>, or null when neither is given.</summary>
    public static Projection? ProjectionOf(IQueryCollection query) =>
        Value(query, "attributes") is var attributes && Value(query, "excludedAttributes") is var excluded && (attributes ?? excluded) is not null
            ? new Projection(attributes, excluded)
            : null;

    /// <summary>A parameter's value; parameter names are matched case-insensitively, as ASP.NET Core reads them.</summary>
    public static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
}
