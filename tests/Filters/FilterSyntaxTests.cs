using IdentityDirectory.Filters;
using IdentityDirectory.Scim;

namespace IdentityDirectory.Tests.Filters;

/// <summary>The grammar's shapes and its refusals, each with the reason a client can act on.</summary>
public sealed class FilterSyntaxTests
{
    private static FilterExpression Parse(string filter, FilterScope? scope = null) => FilterCapability.Rfc.Parse(filter, scope ?? FilterScope.Users)!;

    private static string Path(FilterExpression expression) => ((AttributeFilter)expression).Attribute.Path;

    [Fact]
    public void AndBindsTighterThanOrAndNotTighterThanAnd()
    {
        // Rule R-FLT-1 (precedence () > not > and > or)
        var tree = Parse("title pr or not (active eq false) and userName sw \"a\"");

        var or = Assert.IsType<OrFilter>(tree);
        var and = Assert.IsType<AndFilter>(or.Right);
        Assert.IsType<NotFilter>(and.Left);
        Assert.Equal("userName", Path(and.Right));
    }

    [Fact]
    public void ParenthesesGroupBeforeAnd()
    {
        // Rule R-FLT-1 (grouping)
        var tree = Assert.IsType<AndFilter>(Parse("(title pr or nickName pr) and active eq true"));

        Assert.IsType<OrFilter>(tree.Left);
    }

    [Fact]
    public void NamesAndOperatorsAreCaseInsensitiveAndUrnQualifiedPathsResolve()
    {
        // Rule R-FLT-2, R-META-5, R-FLT-1 (URN paths)
        Assert.Equal("userName", Path(Parse("UserName EQ \"x\"")));
        Assert.Equal("userName", Path(Parse("urn:ietf:params:scim:schemas:core:2.0:User:USERNAME eq \"x\"")));
        Assert.Equal($"{ScimSchemaUris.EnterpriseUser}:employeeNumber", Path(Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"7\"")));
        Assert.Equal($"{ScimSchemaUris.EnterpriseUser}:manager.value", Path(Parse("manager eq \"u\"")));
        Assert.Equal("name.familyName", Path(Parse("name.FAMILYNAME eq \"R\"")));
        Assert.Equal("meta.lastModified", Path(Parse("meta.lastModified gt \"2024-05-01T00:00:00Z\"")));
    }

    [Fact]
    public void AValuePathFollowedByASubAttributeIsOneElementMatchingBoth()
    {
        // Rule R-FLT-1 (value paths), R-FLT-8 (Entra's emails[type eq "work"].value)
        var path = Assert.IsType<ValuePathFilter>(Parse("emails[type eq \"work\"].value eq \"ruth@x.com\""));

        Assert.Equal("emails", path.Attribute.Path);
        var both = Assert.IsType<AndFilter>(path.Filter);
        Assert.Equal("emails.type", Path(both.Left));
        Assert.Equal("emails.value", Path(both.Right));
    }

    [Fact]
    public void AComplexAttributeWithAValueComparesByIt()
    {
        // Rule R-FLT-7 (members eq ≡ members.value eq)
        Assert.Equal("members.value", Path(Parse("members eq \"u\"", FilterScope.Groups)));
        Assert.Equal("emails.value", Path(Parse("emails co \"@x\"")));
        Assert.Equal("emails", Path(Parse("emails pr")));
    }

    [Fact]
    public void ValuesAreTypedByTheirAttribute()
    {
        // Rule R-FLT-3 (literals: JSON strings, true, false, null; dateTimes chronologically)
        Assert.Equal(true, ((AttributeFilter)Parse("active eq True")).Value);
        Assert.Null(((AttributeFilter)Parse("title eq null")).Value);
        Assert.Equal(new DateTimeOffset(2024, 4, 30, 22, 0, 0, TimeSpan.Zero), ((AttributeFilter)Parse("meta.created ge \"2024-05-01T00:00:00+02:00\"")).Value);
        Assert.Equal("a\"b\u00e9", ((AttributeFilter)Parse("title eq \"a\\\"b\\u00e9\"")).Value);
    }

    [Theory]
    // Rule R-FLT-3 (gt on a boolean → invalidFilter), C-36
    [InlineData("active gt true", "'gt' does not apply to the boolean attribute 'active'.")]
    [InlineData("meta.created co \"2024\"", "'co' does not apply to the dateTime attribute 'meta.created'.")]
    [InlineData("userName eq 5", "'userName' is a string attribute; compare it with a JSON string in double quotes.")]
    [InlineData("active eq \"true\"", "'active' is a boolean attribute; compare it with true or false.")]
    [InlineData("meta.created gt \"May 1\"", "'meta.created' is a dateTime attribute; compare it with a quoted xsd:dateTime such as \"2024-05-01T00:00:00Z\".")]
    [InlineData("title gt null", "null can only be compared with eq or ne ('title').")]
    // Rule R-FLT-4 (unknown attribute, unknown operator, malformed)
    [InlineData("nosuch eq \"x\"", "'nosuch' is not an attribute of a User.")]
    [InlineData("emails[colour eq \"red\"]", "'emails.colour' is not an attribute of a User.")]
    [InlineData("userName like \"x\"", "'like' is not a filter operator; the operators are eq, ne, co, sw, ew, gt, ge, lt, le and pr.")]
    [InlineData("userName eq", "The filter 'userName eq' is malformed: a value after 'eq' is expected at its end.")]
    [InlineData("(userName eq \"a\"", "The filter '(userName eq \"a\"' is malformed: ')' is expected at its end.")]
    [InlineData("not userName eq \"a\"", "The filter 'not userName eq \"a\"' is malformed: '(' after 'not' is expected at position 5, not 'userName'.")]
    [InlineData("userName eq \"a\" title pr", "The filter 'userName eq \"a\" title pr' is malformed: 'title' at position 17 is not expected there.")]
    [InlineData("userName eq \"open", "The filter 'userName eq \"open' is malformed: the string at position 13 is not closed.")]
    [InlineData("emails[type eq \"work\" and emails[value pr]]", "The filter 'emails[type eq \"work\" and emails[value pr]]' is malformed: value filters do not nest (position 33).")]
    // Attributes that exist but cannot be filtered
    [InlineData("password eq \"x\"", "Filtering on 'password' is not supported.")]
    [InlineData("name eq \"x\"", "'name' is a complex attribute; compare one of its sub-attributes, e.g. name.formatted.")]
    [InlineData("title[value eq \"x\"]", "'title' is not a multi-valued attribute, so it takes no value filter.")]
    [InlineData("groups.display eq \"x\"", "Filtering on 'groups.display' is not supported.")]
    public void ARefusedFilterSaysWhy(string filter, string detail)
    {
        var error = Assert.Throws<ScimException>(() => FilterCapability.Rfc.Parse(filter, FilterScope.Users));

        Assert.Equal((400, ScimTypes.InvalidFilter, detail), (error.Status, error.ScimType, error.Detail));
    }

    [Theory]
    // Rule R-FLT-6: the aws profile refuses what it never served, in the words it always used
    [InlineData("userName co \"ruth\"", "Operator 'co' is not supported; only 'eq' filters are supported.")]
    [InlineData("userName eq \"a\" or userName eq \"b\"", "'or' is not supported; only 'and' may join filter terms.")]
    [InlineData("title eq \"x\"", "Filtering users on 'title' is not supported.")]
    [InlineData("nosuch eq \"x\"", "Filtering users on 'nosuch' is not supported.")]
    [InlineData("userName eq 5", "Filter values must be quoted strings or booleans.")]
    [InlineData("userName eq null", "Filter values must be quoted strings or booleans.")]
    [InlineData("userName eq", "The filter 'userName eq' is malformed.")]
    [InlineData("(userName eq \"a\")", "The filter '(userName eq \"a\")' is malformed.")]
    [InlineData("emails[type eq \"work\"].value eq \"a\"", "The filter 'emails[type eq \"work\"].value eq \"a\"' is malformed.")]
    [InlineData("title pr", "The filter 'title pr' is malformed.")]
    [InlineData("userName eq \"a\" and userName eq \"b\"", "The filter 'userName eq \"a\" and userName eq \"b\"' is not supported.")]
    [InlineData("id eq \"a\" and externalId eq \"b\"", "The filter 'id eq \"a\" and externalId eq \"b\"' is not supported.")]
    public void TheAwsProfileRefusesAllButItsSubsetAsItAlwaysDid(string filter, string detail)
    {
        var error = Assert.Throws<ScimException>(() => FilterCapability.Aws.Parse(filter, FilterScope.Users));

        Assert.Equal((400, ScimTypes.InvalidFilter, detail), (error.Status, error.ScimType, error.Detail));
    }

    [Theory]
    // Rule R-FLT-6, R-FLT-7 (either order; members ≡ members.value; groups ≡ groups.value; manager ≡ manager.value)
    [InlineData("Users", "userName eq \"a\"")]
    [InlineData("Users", "id eq \"a\" and manager eq \"b\"")]
    [InlineData("Users", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"b\" and id eq \"a\"")]
    [InlineData("Users", "groups eq \"g\"")]
    [InlineData("Users", "userName eq true")]
    [InlineData("Groups", "members.value eq \"u\" and id eq \"g\"")]
    [InlineData("Groups", "displayName eq \"G1\"")]
    public void TheAwsSubsetIsServed(string resource, string filter)
    {
        Assert.NotNull(FilterCapability.Aws.Parse(filter, resource == "Users" ? FilterScope.Users : FilterScope.Groups));
    }

    [Fact]
    public void SortByResolvesLikeAFilterPath()
    {
        // Rule R-LST-5
        Assert.Equal(("name.familyName", true), FilterCapability.Rfc.Sort("NAME.familyName", "Descending", FilterScope.Users) is { } sort
            ? (sort.Attribute.Path, sort.Descending) : default);
        Assert.Equal("emails.value", FilterCapability.Rfc.Sort("emails", null, FilterScope.Users)!.Attribute.Path);
        Assert.Equal(ScimTypes.InvalidValue, Assert.Throws<ScimException>(() => FilterCapability.Rfc.Sort("userName", "up", FilterScope.Users)).ScimType);
        Assert.Equal(ScimTypes.InvalidFilter, Assert.Throws<ScimException>(() => FilterCapability.Rfc.Sort("nosuch", null, FilterScope.Users)).ScimType);
        Assert.Equal(ScimTypes.InvalidFilter, Assert.Throws<ScimException>(() => FilterCapability.Rfc.Sort("members", null, FilterScope.Groups)).ScimType);
    }
}
