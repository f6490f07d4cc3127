using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// Requests made by mutating valid SCIM and admin requests: bodies (<see cref="BodyMutations"/>), paths and ids
/// (traversal, encodings, lengths, case), queries (filters, paging, cursors, encodings) and headers (shapes of
/// the credentials, content types, sizes, counts); <see cref="RawRequests"/> adds what only a raw socket sends.
/// </summary>
public sealed class RequestGenerators(FuzzTargets targets)
{
    private const string JsonType = "application/json";
    private static readonly FuzzJson? NoBody = null;
    private static readonly string? NoPath = null;

    public Gen<FuzzRequest> All => FuzzGen.Weighted((12, ScimRequests), (6, AdminRequests), (2, new RawRequests(targets).All));

    // ------------------------------------------------------------------ SCIM

    private Gen<FuzzRequest> ScimRequests => FuzzGen.Weighted(
        (2, Scim(from resource in Gen.OneOf("ServiceProviderConfig", "ResourceTypes", "Schemas", "Schemas/" + ScimHttp.UserSchema, "Schemas/urn:nope",
                "Me", "Bulk", ".search", "Users/.search", "")
            select ("GET", resource, NoBody))),
        (4, Scim(from resource in Gen.OneOf("Users", "Groups") from query in ListQuery select ("GET", resource + query, NoBody))),
        (2, Scim(from resource in Gen.OneOf("Users", "Groups") from id in ResourceId select ("GET", $"{resource}/{id}", NoBody))),
        (3, Scim(from user in NewUser select ("POST", "Users", (FuzzJson?)user))),
        (2, Scim(from id in ResourceId from user in NewUser select ("PUT", $"Users/{id}", (FuzzJson?)user))),
        (4, Scim(from id in ResourceId from patch in UserPatch select ("PATCH", $"Users/{id}", (FuzzJson?)patch))),
        (2, Scim(from created in NewGroup select ("POST", "Groups", (FuzzJson?)created))),
        (3, Scim(from id in ResourceId from patch in GroupPatch select ("PATCH", $"Groups/{id}", (FuzzJson?)patch))),
        (1, Scim(from id in ResourceId from created in NewGroup select ("PUT", $"Groups/{id}", (FuzzJson?)created))),
        (1, Scim(from resource in Gen.OneOf("Users", "Groups") from id in Id select ("DELETE", $"{resource}/{id}", NoBody))),
        (2, Scim(from resource in Gen.OneOf(".search", "Users/.search", "Groups/.search") from search in Search select ("POST", resource, (FuzzJson?)search))),
        (1, Scim(from bulk in Bulk select ("POST", "Bulk", (FuzzJson?)bulk))));

    private Gen<FuzzRequest> Scim(Gen<(string Method, string Resource, FuzzJson? Body)> shapes) => shapes.SelectMany(ScimRequest);

    private Gen<FuzzRequest> ScimRequest((string Method, string Resource, FuzzJson? Body) request) =>
        from method in FuzzGen.Weighted((20, Gen.Const(request.Method)), (1, Gen.OneOf("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND")))
        from tenantBase in FuzzGen.Weighted((20, Gen.Const(targets.ScimBase)), (1, Gen.OneOf(
            $"/{targets.ScimTenant.ToUpperInvariant()}/scim/v2", "/6f1c2b4e-9a7d-4c3e-8b21-0d5e7f9a1c3b/scim/v2", "/not-a-tenant/scim/v2", $"/{targets.ScimTenant}/SCIM/V2",
            $"/{targets.ScimTenant}/scim/v1", $"/{targets.ScimTenant}/scim/v2/", $"/{targets.ScimTenant}/scim/v2/..")))
        from resource in FuzzGen.Weighted((12, Gen.Const(request.Resource)), (1, Gen.Const(request.Resource.ToLowerInvariant())),
            (1, Gen.Const(request.Resource.ToUpperInvariant())), (1, Gen.Const(request.Resource + "/")))
        from body in request.Body is null ? FuzzGen.Weighted((12, Gen.Const(Array.Empty<byte>())), (1, BodyMutations.Body(NewUserTemplate(0))))
            : BodyMutations.Body(request.Body)
        from chunked in FuzzGen.Weighted((12, Gen.Const(false)), (1, Gen.Const(true)))
        from authorization in ScimAuthorization
        from contentType in ContentType(body.Length > 0 ? "application/scim+json" : null)
        from extra in ExtraHeaders
        select FuzzRequest.Http(method, $"{tenantBase}/{resource}", [.. authorization, .. contentType, .. extra], body, chunked);

    private Gen<KeyValuePair<string, string>[]> ScimAuthorization => FuzzGen.Weighted(
        (30, Gen.Const(Header("Authorization", "Bearer " + targets.ScimToken))),
        (1, Gen.OneOf(
            Header("Authorization", "Bearer " + targets.OtherTenantToken), Header("Authorization", "bearer " + targets.ScimToken),
            Header("Authorization", "Bearer  " + targets.ScimToken), Header("Authorization", "Bearer " + targets.ScimToken + " "),
            Header("Authorization", "Bearer " + targets.ScimToken[..^1]), Header("Authorization", "Bearer " + targets.ScimToken.Replace('.', '-')),
            Header("Authorization", "Bearer " + targets.OperatorKey), Header("Authorization", "Bearer"), Header("Authorization", "Bearer ."),
            Header("Authorization", "Bearer " + new string('a', 5000) + "." + new string('b', 5000)), Header("Authorization", "Basic dXNlcjpw"),
            Header("Authorization", "Bearer a.b.c"), Header("Authorization", "Bearer %00"), Header("Authorization", "Bearer \"" + targets.ScimToken + "\""),
            [], [new("Authorization", "Bearer " + targets.ScimToken), new("Authorization", "Bearer " + targets.ScimToken)])));

    // ------------------------------------------------------------------ admin and portal

    private Gen<FuzzRequest> AdminRequests => FuzzGen.Weighted(
        (3, Operator(from path in Gen.OneOf("", "tenants", "tenants/{t}", "tenants/{t}/settings", "tenants/{t}/tokens", "tenants/{t}/users/{u}/access",
                "tenants/{t}/users/{u}/password", "openapi.json", "nope", "tenants/{t}/provisioning")
            from query in AdminQuery
            select ("GET", path + query, NoBody))),
        (3, Operator(from path in Gen.OneOf("tenants/{t}/events", "tenants/{t}/audit", "tenants/{t}/assignments", "tenants/{t}/users", "tenants/{t}/groups")
            from query in AdminQuery
            select ("GET", path + query, NoBody))),
        (1, Operator(Gen.Const(("POST", "tenants", (FuzzJson?)Template(new JsonObject { ["displayName"] = "Fuzz", ["identitySource"] = "identityCenter" }))))),
        (4, Operator(from settings in Gen.OneOf(
                new JsonObject { ["sessionDuration"] = "08:00:00" }, new JsonObject { ["userQuota"] = 200_000, ["groupQuota"] = 100_000 },
                new JsonObject { ["readsPerSecond"] = 0, ["writesPerSecond"] = 0, ["membershipChangesPerSecond"] = 0 }, new JsonObject { ["profile"] = "aws" })
            select ("PATCH", "tenants/{t}/settings", (FuzzJson?)Template(settings)))),
        (2, Operator(Gen.Const(("PUT", "tenants/{t}/identity-source", (FuzzJson?)Template(new JsonObject { ["identitySource"] = "identityCenter" }))))),
        (2, Operator(from user in ManualId select ("POST", "tenants/{t}/assignments", (FuzzJson?)Template(new JsonObject
            {
                ["principalType"] = "User", ["principalId"] = user, ["target"] = "account-1", ["permissionSet"] = "ReadOnly",
            })))),
        (3, Operator(from user in NewUser select ("POST", "tenants/{t}/users", (FuzzJson?)user))),
        (2, Operator(from user in NewUser select ("PUT", "tenants/{t}/users/{u}", (FuzzJson?)user))),
        (2, Operator(from created in NewGroup select ("POST", "tenants/{t}/groups", (FuzzJson?)created))),
        (2, Operator(from user in ManualId select ("POST", "tenants/{t}/groups/{g}/members", (FuzzJson?)Template(new JsonObject { ["userId"] = user })))),
        (2, Operator(from path in Gen.OneOf("tenants/{t}/users/{x}", "tenants/{t}/groups/{x}", "tenants/{t}/groups/{g}/members/{x}", "tenants/{t}/users/{u}/sessions",
                "tenants/{t}/assignments/{x}", "tenants/{t}/tokens/{x}", "tenants/{x}", "tenants/{t}/provisioning")
            select ("DELETE", path, NoBody))),
        (1, Operator(Gen.OneOf(("POST", "tenants/{t}/provisioning", NoBody), ("POST", "tenants/{t}/tokens", NoBody)))),
        (2, Operator(from name in Gen.OneOf(targets.ManualUserName, targets.ManualUserName.ToUpperInvariant(), "nobody@x.com")
            select ("POST", "/portal/{s}/sign-in", (FuzzJson?)Template(new JsonObject { ["userName"] = name })))),
        (1, Operator(from sessionId in Gen.OneOf("x", "..", "%00", new string('s', 3000))
            select ("GET", "/portal/{s}/sessions/" + sessionId, NoBody))));

    private Gen<FuzzRequest> Operator(Gen<(string Method, string Path, FuzzJson? Body)> shapes) => shapes.SelectMany(AdminRequest);

    private Gen<FuzzRequest> AdminRequest((string Method, string Path, FuzzJson? Body) request) =>
        from tenant in FuzzGen.Weighted((12, Gen.Const(targets.ManualTenant)), (1, Gen.OneOf("4b8e0c1d-2f3a-4e5b-9c6d-7e8f9a0b1c2d", "x", targets.ManualTenant.ToUpperInvariant(),
            "..", "%2e%2e", new string('t', 2000), "%00")))
        from user in ManualId
        from groupId in FuzzGen.Weighted((6, Gen.OneOf([.. targets.ManualGroupIds])), (1, Id))
        from victim in FuzzGen.Weighted((3, Id), (1, ManualId))
        from store in FuzzGen.Weighted((10, Gen.Const(targets.IdentityStoreId)), (1, Gen.OneOf("d-0000000000", "x", targets.IdentityStoreId.ToUpperInvariant())))
        from method in FuzzGen.Weighted((20, Gen.Const(request.Method)), (1, Gen.OneOf("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")))
        from body in request.Body is null ? Gen.Const(Array.Empty<byte>()) : BodyMutations.Body(request.Body)
        from authorization in FuzzGen.Weighted((30, Gen.Const(Header("Authorization", "Bearer " + targets.OperatorKey))), (1, Gen.OneOf(
            [], Header("Authorization", "Bearer " + targets.ScimToken), Header("Authorization", "Bearer wrong"),
            Header("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + targets.OperatorKey))),
            Header("Authorization", "Bearer " + targets.OperatorKey + "x"), Header("Authorization", "bearer " + targets.OperatorKey))))
        from contentType in ContentType(body.Length > 0 || request.Body is not null ? JsonType : null)
        from extra in ExtraHeaders
        let path = (request.Path.StartsWith('/') ? request.Path : "/admin/" + request.Path)
            .Replace("{t}", tenant).Replace("{u}", user).Replace("{g}", groupId).Replace("{x}", victim).Replace("{s}", store)
        select FuzzRequest.Http(method, DeletesTheManualTenant(method, path) ? path.Replace(targets.ManualTenant, "4b8e0c1d-2f3a-4e5b-9c6d-7e8f9a0b1c2d") : path,
            [.. authorization, .. contentType, .. extra], body);

    /// <summary>Whether the request would delete the run's own tenant, its dot segments resolved as the server does.</summary>
    private bool DeletesTheManualTenant(string method, string path) =>
        method == "DELETE" && new Uri(new Uri("http://x"), path.Split('?')[0].Replace("%2e", ".", StringComparison.OrdinalIgnoreCase))
            .AbsolutePath.TrimEnd('/').Equals("/admin/tenants/" + targets.ManualTenant, StringComparison.OrdinalIgnoreCase);

    private Gen<string> AdminQuery => FuzzGen.Weighted(
        (4, Gen.Const("")),
        (2, from name in Gen.OneOf("count", "after", "filter", "cursor", "principalId", "target", "x")
            from value in Gen.OneOf("1", "0", "-1", "500", "501", "abc", "", "1.5", "99999999999999999999", "%00", "%ff", "userName eq \"x\"", "9223372036854775807")
            select $"?{name}={Query(value)}"),
        (1, from count in Gen.OneOf("1", "abc") from after in Gen.OneOf("0", "-5", "x") select $"?count={count}&after={after}&count=2"));

    // ------------------------------------------------------------------ shared pieces

    private Gen<string> ListQuery => FuzzGen.Weighted(
        (3, Gen.Const("")),
        (5, from filter in Filter select "?filter=" + Query(filter)),
        (3, from parameters in Gen.OneOf(
                Gen.OneOf("count", "startIndex", "cursor", "filter", "attributes", "excludedAttributes", "sortBy", "x", "Count").SelectMany(name =>
                    Gen.OneOf("1", "0", "-1", "100", "101", "2147483648", "1e3", "abc", "", "1.5", "99999999999999999999999", "%00", "%zz", "%", "%c3", "+1",
                        "AAAA", "!!!", "eyJ4IjoxfQ==", "MTIzNDU2Nzg5MDEy", new string('A', 3000)).Select(value => $"{name}={value}"))
                .Array[1, 4])
            select "?" + string.Join('&', parameters)),
        (1, Gen.OneOf("?cursor", "?cursor=", "?cursor&count=2", "?startIndex=2&count=1", "?count=100&startIndex=2147483647", "?&&&", "?=", "?filter")));

    /// <summary>Filters from valid aws forms, mutated ones, and token soup.</summary>
    private Gen<string> Filter => FuzzGen.Weighted(
        (3, from id in ResourceId from name in Gen.OneOf("ruth@x.com", "fuzz", "RUTH@X.COM")
            from form in Gen.OneOf(
                $"userName eq \"{name}\"", $"externalId eq \"{name}\"", $"id eq \"{id}\"", $"displayName eq \"{name}\"", $"groups.value eq \"{id}\"",
                $"members eq \"{id}\"", $"id eq \"{id}\" and members eq \"{id}\"", $"members.value eq \"{id}\" and id eq \"{id}\"",
                $"manager eq \"{id}\" and id eq \"{id}\"", $"Username EQ \"{name}\"", $"userName eq \"{name}\" and userName eq \"x\"")
            select form),
        (3, from tokens in Gen.OneOf("userName", "externalId", "id", "displayName", "members", "members.value", "groups.value", "manager", "emails[type eq \"work\"].value",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "eq", "EQ", "co", "sw", "pr", "gt", "ne", "and", "or", "not", "(", ")", "[", "]",
                "\"x\"", "\"\\ud800\"", "\"\\u0000\"", "\"unterminated", "true", "null", "5", "\"\"", "\"a\\\"b\"", "\u00e9", "%", "\\").Array[1, 8]
            select string.Join(' ', tokens)),
        (1, from length in Gen.OneOf(1000, 9000, 20_000) select $"userName eq \"{new string('a', length)}\""));

    /// <summary>A query value percent-encoded, as clients do, or with '+' for spaces (R-GEN-6), or left raw.</summary>
    private static string Query(string value) => Uri.EscapeDataString(value).Replace("%2520", "%20");

    private Gen<string> Id => Gen.OneOf(
        "0b9f3c2e-5d4a-4f6b-8e7c-1a2b3c4d5e6f", "0123456789-0b9f3c2e-5d4a-4f6b-8e7c-1a2b3c4d5e6f", "00000000000000000000", "010101010101", "", ".", "..", "%2e%2e", "..%2F..%2Fadmin",
        "a%2Fb", "%00", "%ff", "%c3%a9", "%e9", "é", "%20x", "x%20", "a;b", "a?b", "*", "%u0041", new string('i', 300), new string('i', 9000),
        "00000000-0000-0000-0000-000000000000", "null", "undefined", "../Users", "Users");

    private Gen<string> ResourceId => FuzzGen.Weighted(
        (4, Gen.OneOf([.. targets.UserIds])), (3, Gen.OneOf([.. targets.GroupIds])), (2, Id),
        (1, Gen.OneOf(targets.UserIds[0].ToUpperInvariant(), targets.UserIds[0] + "/x", targets.UserIds[0] + "%20")));

    private Gen<string> ManualId => FuzzGen.Weighted((6, Gen.OneOf([.. targets.ManualUserIds])), (1, Id));

    private static readonly Gen<FuzzJson> NewUser =
        from suffix in Gen.Int[0, 1_000_000]
        select NewUserTemplate(suffix);

    private static FuzzJson NewUserTemplate(int suffix) => Template(NewUserNode(suffix));

    private static JsonObject NewUserNode(int suffix) => new()
    {
        ["schemas"] = new JsonArray(ScimHttp.UserSchema, ScimHttp.EnterpriseSchema),
        ["userName"] = $"fuzz{suffix}@x.com",
        ["displayName"] = "Fuzz User",
        ["name"] = new JsonObject { ["givenName"] = "Fuzz", ["familyName"] = "User" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = $"fuzz{suffix}@x.com", ["type"] = "work", ["primary"] = true }),
        ["externalId"] = $"fx-{suffix}",
        ["active"] = true,
        [ScimHttp.EnterpriseSchema] = new JsonObject { ["employeeNumber"] = "7", ["department"] = "R&D" },
    };

    private Gen<FuzzJson> NewGroup =>
        from suffix in Gen.Int[0, 1_000_000]
        from member in Gen.OneOf([.. targets.UserIds])
        select Template(new JsonObject
        {
            ["schemas"] = new JsonArray(ScimHttp.GroupSchema),
            ["displayName"] = $"Fuzz group {suffix}",
            ["externalId"] = $"fg-{suffix}",
            ["members"] = new JsonArray(new JsonObject { ["value"] = member }),
        });

    /// <summary>SearchRequest bodies (R-SRCH-1): a filter, paging and a projection, as the query string would carry them.</summary>
    private Gen<FuzzJson> Search =>
        from filter in Filter
        from startIndex in Gen.OneOf<JsonNode?>(1, 2, 0, -3, "2", 2.5, null)
        from count in Gen.OneOf<JsonNode?>(1, 100, 0, -1, 101, "x", null)
        from attributes in Gen.OneOf<JsonNode?>(new JsonArray("userName", "members"), "displayName,meta.version", new JsonArray(5), null)
        select Template(new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
            ["filter"] = filter,
            ["startIndex"] = startIndex?.DeepClone(),
            ["count"] = count?.DeepClone(),
            ["attributes"] = attributes?.DeepClone(),
            ["excludedAttributes"] = "emails",
        });

    /// <summary>BulkRequest bodies (R-BULK-2): a user and a group created together, the group naming the user by bulkId, and a change of a known user.</summary>
    private Gen<FuzzJson> Bulk =>
        from suffix in Gen.Int[0, 1_000_000]
        from failOnErrors in Gen.OneOf<JsonNode?>(1, 2, 0, "1", null)
        from id in ResourceId
        from reference in Gen.OneOf("bulkId:u", "bulkId:nothing", "bulkId:", "bulkId:g")
        select Template(new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
            ["failOnErrors"] = failOnErrors?.DeepClone(),
            ["Operations"] = new JsonArray(
                new JsonObject
                {
                    ["method"] = "POST", ["path"] = "/Groups", ["bulkId"] = "g",
                    ["data"] = new JsonObject
                    {
                        ["schemas"] = new JsonArray(ScimHttp.GroupSchema), ["displayName"] = $"Bulk group {suffix}",
                        ["members"] = new JsonArray(new JsonObject { ["value"] = reference }),
                    },
                },
                new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "u", ["data"] = NewUserNode(suffix) },
                new JsonObject
                {
                    ["method"] = "PATCH", ["path"] = $"/Users/{id}", ["version"] = "W/\"1\"",
                    ["data"] = new JsonObject
                    {
                        ["schemas"] = new JsonArray(ScimHttp.PatchSchema),
                        ["Operations"] = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "nickName", ["value"] = "bulk" }),
                    },
                }),
        });

    private Gen<FuzzJson> UserPatch =>
        from operations in UserOperation.Array[1, 3]
        select Template(new JsonObject { ["schemas"] = new JsonArray(ScimHttp.PatchSchema), ["Operations"] = new JsonArray(operations) });

    private Gen<FuzzJson> GroupPatch =>
        from operations in GroupOperation.Array[1, 3]
        select Template(new JsonObject { ["schemas"] = new JsonArray(ScimHttp.PatchSchema), ["Operations"] = new JsonArray(operations) });

    private static Gen<JsonNode?> UserOperation =>
        from op in Gen.OneOf("add", "replace", "remove", "Replace", "Add", "REMOVE", "move", "")
        from target in Gen.OneOf<(string? Path, JsonNode? Value)>(
            ("displayName", "Fuzzed Name"), ("nickName", "fuzzy"), ("title", null), ("active", false), ("active", "True"), ("name.givenName", "G"),
            ("name", new JsonObject { ["givenName"] = "G", ["familyName"] = "F" }), ("emails[type eq \"work\"].value", "w@x.com"),
            ("phoneNumbers[type eq \"mobile\"].value", "+1 555 0100"), ("addresses[type eq \"work\"].postalCode", "12345"),
            ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "9"), ("manager", new JsonArray(new JsonObject { ["value"] = "x" })),
            ("userName", "renamed@x.com"), ("externalId", "ext-fuzz"), ("password", "S3cret!"), ("roles", new JsonArray()), ("groups", new JsonArray()),
            ("id", "x"), ("meta.created", "2020-01-01T00:00:00Z"), ("emails", new JsonArray(new JsonObject { ["value"] = "e@x.com", ["primary"] = true })),
            (null, new JsonObject { ["displayName"] = "Pathless", ["name.givenName"] = "P" }), (null, "x"))
        from path in PathVariant(target.Path)
        select Operation(op, path, target.Value);

    private Gen<JsonNode?> GroupOperation =>
        from op in Gen.OneOf("add", "replace", "remove", "Add", "Remove")
        from member in Gen.OneOf([.. targets.UserIds])
        from target in Gen.OneOf<(string? Path, JsonNode? Value)>(
            ("displayName", "Renamed group"), ("externalId", "gx-fuzz"), ("members", new JsonArray(new JsonObject { ["value"] = member })),
            ($"members[value eq \"{member}\"]", null), ("description", "d"), ("members", new JsonArray()), ("members.display", "x"), ("id", "x"),
            (null, new JsonObject { ["displayName"] = "Pathless group", ["id"] = "other" }))
        from path in PathVariant(target.Path)
        select Operation(op, path, target.Value);

    /// <summary>A PATCH path as given, or as written with surrounding whitespace, another case, a broken bracket, a stray dot (R-PAT-1).</summary>
    private static Gen<string?> PathVariant(string? path) => path is null
        ? FuzzGen.Weighted((6, Gen.Const(NoPath)), (1, Gen.OneOf<string?>("", " ", "\t")))
        : FuzzGen.Weighted(
            (8, Gen.Const<string?>(path)),
            (1, Gen.OneOf<string?>(" " + path, path + " ", path + "\t", "\n" + path, path.ToUpperInvariant(), path + "]", "[" + path, path + ".",
                "." + path, path.Replace(".", ". ").Replace("[", " ["), path + "[value eq \"x\"", path + "..x", "urn:" + path, path + new string('x', 3000))));

    private static JsonNode Operation(string op, string? path, JsonNode? value)
    {
        var operation = new JsonObject { ["op"] = op };
        if (path is not null)
            operation["path"] = path;
        if (op is not ("remove" or "REMOVE" or "Remove") || value is not null)
            operation["value"] = value?.DeepClone();
        return operation;
    }

    private static Gen<KeyValuePair<string, string>[]> ContentType(string? usual) => FuzzGen.Weighted(
        (12, Gen.Const(usual is null ? Array.Empty<KeyValuePair<string, string>>() : Header("Content-Type", usual))),
        (1, Gen.OneOf(
            [], Header("Content-Type", "application/json"), Header("Content-Type", "application/scim+json; charset=utf-8"),
            Header("Content-Type", "application/json; charset=latin1"), Header("Content-Type", "text/plain"),
            Header("Content-Type", "application/x-www-form-urlencoded"), Header("Content-Type", "multipart/form-data; boundary=x"),
            Header("Content-Type", ";;;"), Header("Content-Type", "application/json; charset=utf-16"), Header("Content-Type", "*/*"))));

    private static Gen<KeyValuePair<string, string>[]> ExtraHeaders => FuzzGen.Weighted(
        (20, Gen.Const(Array.Empty<KeyValuePair<string, string>>())),
        (3, Gen.OneOf(
            Header("If-Match", "*"), Header("If-Match", "W/\"bogus\""), Header("If-None-Match", "*"), Header("Accept", "application/xml"),
            Header("Content-Encoding", "gzip"), Header("Expect", "100-continue"), Header("X-HTTP-Method-Override", "DELETE"),
            Header("X-Forwarded-For", "1.2.3.4"), Header("Accept-Charset", "utf-16"), Header("Range", "bytes=0-1"), Header("Cookie", "a=b"))),
        (1, from count in Gen.Int[1, 150] select Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>($"X-Fuzz-{i}", "v")).ToArray()),
        (1, from length in Gen.OneOf(8_000, 20_000, 33_000, 40_000) select Header("X-Fuzz", new string('h', length))));

    private static KeyValuePair<string, string>[] Header(string name, string value) => [new(name, value)];

    private static FuzzJson Template(JsonNode node) => FuzzJson.From(node);
}
