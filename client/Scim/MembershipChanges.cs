using System.Text.Json;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// How many membership changes a CreateGroup or PatchGroup request carries, for the membership-change
/// rate limit (R-GEN-7). Counting only: a body that does not parse counts 0, and the group grain
/// answers it with the right error.
/// </summary>
public static class MembershipChanges
{
    public static async Task<int> CountAsync(HttpRequest request)
    {
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method))
            || request.Path.Value?.Contains("/Groups", StringComparison.OrdinalIgnoreCase) != true
            || request.ContentLength is > ScimBody.MaxBytes)
            return 0;
        request.EnableBuffering(ScimBody.MaxBytes, ScimBody.MaxBytes);
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            return HttpMethods.IsPost(request.Method) ? Members(Property(body.RootElement, "members")) : Operations(body.RootElement);
        }
        catch (Exception e) when (e is not (IOException or OperationCanceledException))
        {
            return 0; // not JSON, or not UTF-8: nothing to count
        }
        catch (IOException)
        {
            throw ScimBody.TooLarge(); // the buffer refused more than 1 MiB
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static int Operations(JsonElement root)
    {
        if (Property(root, "Operations") is not { ValueKind: JsonValueKind.Array } operations)
            return 0;
        var changes = 0;
        foreach (var operation in operations.EnumerateArray())
        {
            var path = Property(operation, "path") is { ValueKind: JsonValueKind.String } p ? p.GetString()! : null;
            var value = Property(operation, "value");
            if (path is null)
                changes += value is { ValueKind: JsonValueKind.Object } values ? Members(Property(values, "members")) : 0;
            else if (path.StartsWith("members", StringComparison.OrdinalIgnoreCase))
                changes += path.Contains('[') ? 1 : Members(value);
        }
        return changes;
    }

    private static int Members(JsonElement? members) => members is { ValueKind: JsonValueKind.Array } array ? array.GetArrayLength() : 0;

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name) || property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }
        return null;
    }
}
