using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Admin;

/// <summary>
/// The JSON body of an operator request (admin API, access portal), read inside the endpoint, so after the
/// operator key was checked. It is <see cref="StrictJson"/>-checked, then bound strictly: a field the request
/// does not have, a value of the wrong type, a null where a value is required, or a required field that is
/// missing is a 400 problem that names the field, never a silently ignored part of an operator's intent.
/// </summary>
public static class AdminBody
{
    public const string ContentType = "application/json";

    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        if (!request.HasJsonContentType())
            throw new ScimException(StatusCodes.Status415UnsupportedMediaType, null, "The body must be JSON (Content-Type: application/json).");
        var utf8 = await ScimBody.ReadBytesAsync(request);
        StrictJson.Validate(utf8.Span);
        try
        {
            return JsonSerializer.Deserialize<T>(utf8.Span, Options) ?? throw Invalid("The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Invalid(Describe<T>(e));
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            MaxDepth = StrictJson.MaxDepth,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    /// <summary>What is wrong, in the request's own field names; System.Text.Json's text names .NET types.</summary>
    private static string Describe<T>(JsonException error)
    {
        var fields = Options.GetTypeInfo(typeof(T)).Properties;
        var name = error.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        const string MissingMarker = "missing required properties including: ";
        if (error.Message.IndexOf(MissingMarker, StringComparison.Ordinal) is var missing and >= 0)
            return $"The body lacks required fields: {error.Message[(missing + MissingMarker.Length)..].TrimEnd('.')}.";
        if (name is not null && field is null)
            return $"'{name}' is not a field of this request; its fields are {string.Join(", ", fields.Select(f => f.Name))}.";
        if (field is not null)
            return $"'{field.Name}' must be {Expected(field.PropertyType)}{(field.IsSetNullable ? " or null" : "")}.";
        return "The body must be a JSON object with the fields of this request.";
    }

    private static string Expected(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner switch
        {
            _ when inner == typeof(string) => "a string",
            _ when inner == typeof(int) || inner == typeof(long) => "a whole number",
            _ when inner == typeof(double) => "a number",
            _ when inner == typeof(bool) => "true or false",
            _ when inner == typeof(TimeSpan) => "a duration such as \"08:00:00\"",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(inner).Select(n => $"\"{JsonNamingPolicy.CamelCase.ConvertName(n)}\"")),
            _ => "a value of another type",
        };
    }

    private static ScimException Invalid(string detail) => new(StatusCodes.Status400BadRequest, ScimTypes.InvalidValue, detail);
}
