using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace IdentityDirectory.Queries;

[StatelessWorker]
public sealed partial class DirectoryQueryGrain(IDirectoryStore store, IOptions<DirectoryOptions> options) : Grain, IDirectoryQueryGrain
{
    private const int MaxCount = 100;

    private string TenantId => this.GetPrimaryKeyString();

    public Task<ScimJson> ListUsersAsync(ListQuery query) => QueryUsersAsync(query, Capability(query));

    public Task<ScimJson> SearchUsersAsync(ListQuery query) => QueryUsersAsync(query, FilterCapability.Operator);

    private async Task<ScimJson> QueryUsersAsync(ListQuery query, FilterCapability capability)
    {
        var page = Page(query);
        var resources = Query(query, capability, FilterScope.Users);
        return Render(await QueryAsync(() => store.QueryUsersAsync(TenantId, resources, page)), page);
    }

    public async Task<ScimJson> ListGroupsAsync(ListQuery query)
    {
        var page = Page(query);
        var capability = Capability(query);
        var resources = Query(query, capability, FilterScope.Groups);
        if (capability.UnknownMemberIsNotFound && Member(resources.Filter) is { } member && !await store.UserExistsAsync(TenantId, member))
            throw ScimException.NotFound($"User {member} not found."); // R-FLT-7 [AWS]
        return Render(await QueryAsync(() => store.QueryGroupsAsync(TenantId, resources, page)), page);
    }

    private ResourceQuery Query(ListQuery query, FilterCapability capability, FilterScope scope) => new ResourceQuery(capability.Parse(query.Filter, scope), capability.Sort(query.SortBy, query.SortOrder, scope), options.Value.FilterScanLimit);

    private static FilterCapability Capability(ListQuery query) => query.Profile == "rfc" ? FilterCapability.Rfc : FilterCapability.Aws;

    /// <summary>The user a membership filter of the aws subset names (<c>members eq</c>, alone or with <c>id eq</c>).</summary>
    private static string? Member(FilterExpression? filter) => filter switch
    {
        AttributeFilter { Operator: FilterOperator.Eq, Value: string id, Attribute.Attribute.Name: "members" } => id,
        AndFilter all => Member(all.Left) ?? Member(all.Right),
        _ => null,
    };

    private static async Task<ResourcePage> QueryAsync(Func<Task<ResourcePage>> query)
    {
        try
        {
            return await query();
        }
        catch (TooManyResultsException e)
        {
            throw new ScimException(400, ScimTypes.TooMany, e.Message); // R-FLT-5
        }
    }

    /// <summary>R-LST-3: count 1–100 (default 100); startIndex 1-based, honoured; a cursor switches to keyset paging.</summary>
    private static PageRequest Page(ListQuery query)
    {
        var count = MaxCount;
        if (query.Count is not null && (!int.TryParse(query.Count, out count) || count is < 1 or > MaxCount))
            throw ScimException.InvalidValue($"count must be an integer from 1 to {MaxCount}.");
        var startIndex = 1;
        if (query.StartIndex is not null && !int.TryParse(query.StartIndex, out startIndex))
            throw ScimException.InvalidValue("startIndex must be an integer.");
        if (query.Cursor is null)
            return new PageRequest(count, Math.Max(1, startIndex), CursorMode: false, After: 0);
        return new PageRequest(count, 1, CursorMode: true, After: DecodeCursor(query.Cursor));
    }

    private static ScimJson Render(ResourcePage page, PageRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + page.Resources.Sum(r => r.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimSchemaUris.ListResponse);
            writer.WriteEndArray();
            if (!request.CursorMode)
            {
                writer.WriteNumber("totalResults", page.Total ?? 0);
                writer.WriteNumber("itemsPerPage", page.Resources.Count);
                writer.WriteNumber("startIndex", request.StartIndex);
            }
            else
            {
                writer.WriteNumber("itemsPerPage", page.Resources.Count);
                if (page.NextCursor is { } next)
                    writer.WriteString("nextCursor", EncodeCursor(next));
            }
            writer.WriteStartArray("Resources");
            foreach (var resource in page.Resources)
                writer.WriteRawValue(resource, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new ScimJson(buffer.WrittenSpan.ToArray());
    }

    private static string EncodeCursor(long after)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, after);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>R-LST-3: pattern [-a-zA-Z0-9+=/:_]*; anything we did not issue is 400.</summary>
    private static long DecodeCursor(string cursor)
    {
        if (cursor.Length == 0)
            return 0;
        Span<byte> bytes = stackalloc byte[12];
        if (!CursorPattern().IsMatch(cursor) || !Convert.TryFromBase64String(cursor, bytes, out var written) || written != 8)
            throw ScimException.InvalidValue("The cursor is not valid.");
        var after = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return after >= 0 ? after : throw ScimException.InvalidValue("The cursor is not valid.");
    }

    [GeneratedRegex("^[-a-zA-Z0-9+=/:_]*$")]
    private static partial Regex CursorPattern();
}
