using System.Globalization;
using System.Text.Json;

namespace IdentityDirectory.Scim;

/// <summary>
/// The SCIM error body (R-ERR-1, both profiles): both <c>schemas</c> and AWS's singular <c>schema</c>, a
/// string <c>status</c>, <c>scimType</c> on 400 and 409 only (R-ERR-3), the request id as
/// <c>exceptionRequestId</c> (R-GEN-5) and AWS's <c>timeStamp</c>. Written here alone: by the gateway
/// for a request's error and by Bulk for each failed operation.
/// </summary>
public static class ScimErrorBody
{
    public static void Write(Utf8JsonWriter writer, ScimException error, string requestId, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(ScimSchemaUris.Error);
        writer.WriteEndArray();
        writer.WriteStartArray("schema");
        writer.WriteStringValue(ScimSchemaUris.Error);
        writer.WriteEndArray();
        writer.WriteString("status", error.Status.ToString(CultureInfo.InvariantCulture));
        if (error.ScimType is not null && error.Status is 400 or 409)
            writer.WriteString("scimType", error.ScimType);
        writer.WriteString("detail", error.Detail);
        writer.WriteString("exceptionRequestId", requestId);
        writer.WriteString("timeStamp", now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }
}
