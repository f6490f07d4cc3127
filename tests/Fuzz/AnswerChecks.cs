using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// What every answer must be (DESIGN.md §4, R-ERR-1, R-GEN-5, R-GEN-8): never a 5xx; an error from the product
/// carries the body of its API with a <c>status</c> equal to the HTTP status (the SCIM Error message on SCIM and
/// any other path, an RFC 7807 problem on <c>/admin</c> and <c>/portal</c>); what Kestrel refuses before the
/// product runs is exactly its bare status, and only for requests that break HTTP/1.1 or Kestrel's limits.
/// </summary>
public static class AnswerChecks
{
    private const string RequestIdHeader = "x-amzn-RequestId";

    /// <returns>What is wrong with the answer, or null.</returns>
    public static string? Problem(FuzzRequest request, HttpAnswer response)
    {
        if (response.Status >= 500 && !(response.Status == 501 && IsMe(request.DecodedPath)))
            return $"a {response.Status}";
        if (request.EdgeStatus is { } edge)
            return response.Status == edge && response.Body.Length == 0 && response.Header("Connection") == "close"
                ? null
                : $"Kestrel's bare {edge} with Connection: close was expected";
        if (response.Header(RequestIdHeader) is not { Length: > 0 } requestId)
            return $"no {RequestIdHeader} header (R-GEN-5)";
        if (response.Status < 400 || request.Method == "HEAD")
            return null; // a HEAD answer has no body by definition
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(response.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
            return "an error without a JSON object body";
        return IsOperatorPath(request.DecodedPath) ? ProblemDetailsFault(response, body) : ScimErrorFault(response, body, requestId);
    }

    /// <summary>R-DISC-5 [RFC]: <c>/Me</c> is 501, the one 5xx a request may get, with the SCIM error body like any other error.</summary>
    private static bool IsMe(string path) =>
        path.Split('?')[0].TrimEnd('/').EndsWith("/scim/v2/Me", StringComparison.OrdinalIgnoreCase) || path.Contains("/scim/v2/Me/", StringComparison.OrdinalIgnoreCase);

    private static bool IsOperatorPath(string path) =>
        new[] { "/admin", "/portal" }.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && (path.Length == prefix.Length || path[prefix.Length] == '/'));

    private static string? ProblemDetailsFault(HttpAnswer response, JsonObject body)
    {
        if (response.Header("Content-Type")?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
            return "an admin error that is not application/problem+json (RFC 7807)";
        if (body["status"] is not JsonValue status || status.GetValueKind() != JsonValueKind.Number || status.GetValue<int>() != response.Status)
            return "a problem whose status is not the HTTP status";
        if (!NonEmptyString(body["detail"]) && !NonEmptyString(body["title"]))
            return "a problem with neither title nor detail";
        return null;
    }

    private static string? ScimErrorFault(HttpAnswer response, JsonObject body, string requestId)
    {
        if (body["schemas"] is not JsonArray { Count: 1 } schemas || schemas[0]?.GetValue<string>() != ScimHttp.ErrorSchema)
            return "a SCIM error without schemas [Error] (R-ERR-1)";
        if (body["status"] is not JsonValue status || status.GetValueKind() != JsonValueKind.String || status.GetValue<string>() != response.Status.ToString())
            return "a SCIM error whose status is not the HTTP status as a string (R-ERR-1)";
        if (!NonEmptyString(body["detail"]))
            return "a SCIM error without a detail";
        if (body["exceptionRequestId"]?.GetValue<string>() != requestId)
            return "a SCIM error whose exceptionRequestId is not the x-amzn-RequestId (R-GEN-5)";
        if (response.Status is 400 or 409 && !NonEmptyString(body["scimType"]))
            return "a 400 or 409 without a scimType (R-ERR-3)";
        return null;
    }

    private static bool NonEmptyString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0;
}
