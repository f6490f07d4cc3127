using System.Text;
using System.Text.Json.Nodes;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;

namespace IdentityDirectory.Tests.Store;

public sealed class SearchDocumentTests
{
    // Rule R-FLT-3 (pr: an unassigned value is absent), R-FLT-2 (case-insensitive strings folded, caseExact ones kept)
    [Fact]
    public void TheDocumentHoldsWhatIsAssignedWithCaseInsensitiveStringsFolded()
    {
        var user = new JsonObject
        {
            ["userName"] = "Ruth@Example.com", // a key column
            ["externalId"] = "Ext-1", // a key column
            ["displayName"] = "Ruth R",
            ["title"] = null,
            ["nickName"] = "",
            ["active"] = false,
            ["name"] = new JsonObject { ["givenName"] = "", ["familyName"] = "Roe" },
            ["addresses"] = new JsonArray(),
            ["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = "" }),
            ["emails"] = new JsonArray(
                new JsonObject { ["value"] = "Ruth@Example.com", ["type"] = "Work", ["primary"] = true },
                new JsonObject { ["value"] = "" }),
            ["x509Certificates"] = new JsonArray(new JsonObject()),
            [ScimSchemaUris.EnterpriseUser] = new JsonObject { ["department"] = "", ["manager"] = new JsonObject { ["value"] = "M-1" } },
        };

        var document = Encoding.UTF8.GetString(SearchDocument.Of(user, FilterScope.Users));

        Assert.Equal(
            "{\"displayName\":\"ruth r\",\"active\":false,\"name\":{\"familyName\":\"roe\"}," +
            "\"emails\":[{\"value\":\"ruth@example.com\",\"type\":\"work\",\"primary\":true}]," +
            $"\"{ScimSchemaUris.EnterpriseUser}\":{{\"manager\":{{\"value\":\"M-1\"}}}}}}",
            document);
    }

    [Fact]
    public void AResourceWithNothingAssignedBeyondItsKeysHasAnEmptyDocument()
    {
        var group = new JsonObject { ["displayName"] = "Admins", ["externalId"] = null, ["members"] = new JsonArray() };

        Assert.Equal("{}", Encoding.UTF8.GetString(SearchDocument.Of(group, FilterScope.Groups)));
    }
}
