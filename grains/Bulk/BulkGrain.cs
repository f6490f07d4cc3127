using System.Buffers;
using System.Text;
using System.Text.Json;
using IdentityDirectory.Groups;
using IdentityDirectory.Scim;
using IdentityDirectory.Users;
using Orleans.Concurrency;

namespace IdentityDirectory.Bulk;

/// <summary>
/// Bulk (R-BULK-1..2, RFC 7644 §3.7) for one directory partition: each operation is one call of its user
/// or group grain, so each is atomic on its own and the request as a whole is not. Operations run in
/// order; one that refers to a <c>bulkId</c> not yet created waits until the operation creating it has
/// run; references that cannot be resolved (circular, unknown, or their creation failed) are 409.
/// </summary>
[StatelessWorker]
public sealed class BulkGrain(TimeProvider time) : Grain, IBulkGrain
{
    private string Partition => this.GetPrimaryKeyString();

    public async Task<ScimJson> ProcessAsync(ScimRequest request)
    {
        var profile = request.Profile;
        if (profile.Bulk is not { Enabled: true } bulk)
            throw profile.Unserved("POST /Bulk"); // R-BULK-1: off → 501 (R-DISC-5 [AWS]: no such endpoint → 404)
        if (Encoding.UTF8.GetByteCount(request.Body ?? "") > bulk.MaxPayloadSize)
            throw TooLarge($"The request exceeds maxPayloadSize, {bulk.MaxPayloadSize} bytes.");
        var message = ResourceBody.Parse(profile, request.Body, ScimSchemaUris.BulkRequest);
        var operations = BulkOperation.ParseAll(message);
        if (operations.Count > bulk.MaxOperations)
            throw TooLarge($"The request holds {operations.Count} operations; maxOperations is {bulk.MaxOperations}.");
        var failOnErrors = message["failOnErrors"] switch
        {
            null => int.MaxValue,
            var node when node.GetValueKind() == JsonValueKind.Number && node.GetValue<decimal>() is >= 1 and <= int.MaxValue and var n && n == decimal.Floor(n) => (int)n,
            _ => throw ScimException.InvalidValue("'failOnErrors' must be a positive integer."),
        };
        return Write(await RunAsync(request, operations, failOnErrors), time.GetUtcNow());
    }

    private static ScimException TooLarge(string detail) => new(413, null, detail);

    private async Task<IReadOnlyList<BulkResult>> RunAsync(ScimRequest request, IReadOnlyList<BulkOperation> operations, int failOnErrors)
    {
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new BulkResult?[operations.Count];
        var pending = operations.ToList();
        var errors = 0;
        while (pending.Count > 0 && errors < failOnErrors)
        {
            // An operation waits while it refers to a bulkId that an operation still pending will create.
            var waiting = pending.Select(o => o.BulkId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var ready = pending.FirstOrDefault(o => !o.References().Any(r => !created.ContainsKey(r) && waiting.Contains(r) && r != o.BulkId));
            var operation = ready ?? pending[0]; // none ready: the rest refer to each other in a circle
            pending.Remove(operation);
            var result = ready is null ? Unresolved(operation) : await RunOneAsync(request, operation, created);
            results[operation.Index] = result;
            if (result.Error is not null)
                errors++;
        }
        return results.OfType<BulkResult>().ToList();
    }

    private static BulkResult Unresolved(BulkOperation operation) => new(operation, null, null, 409,
        new ScimException(409, ScimTypes.InvalidValue, "The operation refers to a bulkId whose resource could not be created first."));

    private async Task<BulkResult> RunOneAsync(ScimRequest request, BulkOperation operation, Dictionary<string, string> created)
    {
        if (operation.Fault is { } fault)
            return new BulkResult(operation, null, null, fault.Status, fault);
        var unresolved = operation.References().FirstOrDefault(r => !created.ContainsKey(r));
        if (unresolved is not null)
            return new BulkResult(operation, null, null, 409, new ScimException(409, ScimTypes.InvalidValue, $"bulkId '{unresolved}' does not name a created resource."));
        var resolved = operation.Resolve(created);
        string? location = null;
        try
        {
            var (type, target) = Target(resolved);
            var id = target ?? ResourceKey.NewId(time);
            var call = request with
            {
                Body = resolved.Data?.ToJsonString(),
                Projection = null,
                Preconditions = resolved.Version is null ? null : new Preconditions(resolved.Version, null),
            };
            location = new ResourceView(call, type).LocationOf(id);
            var (status, response) = await CallAsync(call, resolved.Method, type, ResourceKey.Of(Partition, id));
            if (resolved.Method == "POST")
                created[resolved.BulkId!] = id;
            return new BulkResult(operation, location, response?.ETag, status, null);
        }
        catch (ScimException error)
        {
            return new BulkResult(operation, operation.Method == "POST" ? null : location, null, error.Status, error);
        }
    }

    private async Task<(int Status, ScimResponse? Response)> CallAsync(ScimRequest call, string method, ResourceType type, string key)
    {
        if (type == ResourceType.User)
        {
            var user = GrainFactory.Reference<IUserGrain>(key);
            return method switch
            {
                "POST" => (201, await user.CreateAsync(call)),
                "PUT" => (200, await user.ReplaceAsync(call)),
                "PATCH" => Answered(await user.PatchAsync(call)),
                _ => (204, await DeleteAsync(user.DeleteAsync(call))),
            };
        }
        var group = GrainFactory.Reference<IGroupGrain>(key);
        return method switch
        {
            "POST" => (201, await group.CreateAsync(call)),
            "PUT" => (200, await group.ReplaceAsync(call)),
            "PATCH" => Answered(await group.PatchAsync(call)),
            _ => (204, await DeleteAsync(group.DeleteAsync(call))),
        };
    }

    private static (int, ScimResponse?) Answered(ScimResponse response) => (response.Body is null ? 204 : 200, response);

    private static async Task<ScimResponse?> DeleteAsync(Task delete)
    {
        await delete;
        return null;
    }

    /// <summary>The resource type and id a path names: <c>/Users</c> or <c>/Groups</c> for a POST, <c>/Users/{id}</c> or <c>/Groups/{id}</c> otherwise (R-GEN-1: any case).</summary>
    private static (ResourceType Type, string? Id) Target(BulkOperation operation)
    {
        var segments = operation.Path!.Trim('/').Split('/');
        var type = segments[0].ToLowerInvariant() switch
        {
            "users" => ResourceType.User,
            "groups" => ResourceType.Group,
            _ => throw ScimException.InvalidValue($"The path '{operation.Path}' names no resource type."),
        };
        return (operation.Method, segments.Length) switch
        {
            ("POST", 1) => (type, null),
            (not "POST", 2) when segments[1].Length > 0 => (type, segments[1]),
            _ => throw ScimException.InvalidValue($"The path '{operation.Path}' does not suit a {operation.Method}."),
        };
    }

    private static ScimJson Write(IReadOnlyList<BulkResult> results, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + results.Count * 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimSchemaUris.BulkResponse);
            writer.WriteEndArray();
            writer.WriteStartArray("Operations");
            foreach (var result in results)
                result.WriteTo(writer, now);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }

    private sealed record BulkResult(BulkOperation Operation, string? Location, string? Version, int Status, ScimException? Error)
    {
        public void WriteTo(Utf8JsonWriter writer, DateTimeOffset now)
        {
            writer.WriteStartObject();
            writer.WriteString("method", Operation.Method);
            if (Operation.BulkId is not null)
                writer.WriteString("bulkId", Operation.BulkId);
            if (Location is not null)
                writer.WriteString("location", Location);
            if (Version is not null)
                writer.WriteString("version", Version);
            writer.WriteString("status", Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Error is not null)
            {
                writer.WritePropertyName("response");
                ScimErrorBody.Write(writer, Error, AuditContext.RequestId ?? "", now);
            }
            writer.WriteEndObject();
        }
    }
}
