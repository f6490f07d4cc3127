using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Bench;

/// <summary>
/// An HttpClient on one tenant's SCIM base, pooled for the phase's concurrency; given the same base on several
/// gateways of a cluster, it sends its requests to them in turn.
/// </summary>
public sealed class ScimClient : IDisposable
{
    private readonly HttpClient[] _gateways;
    private int _sent;

    public ScimClient(Uri endpoint, string token, int concurrency) : this([endpoint], token, concurrency)
    {
    }

    public ScimClient(IReadOnlyList<Uri> endpoints, string token, int concurrency)
    {
        _gateways = endpoints.Select(endpoint =>
        {
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            var http = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }).ToArray();
    }

    private HttpClient NextGateway() => _gateways[(int)((uint)Interlocked.Increment(ref _sent) % _gateways.Length)];

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/scim+json");
        using var response = await NextGateway().SendAsync(request);
        // Parsed from the UTF-8 bytes: a string copy of a 45 KB page is a 90 KB large-object allocation,
        // driver CPU taken from the product on the same cores.
        var utf8 = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, utf8.Length == 0 ? null : JsonNode.Parse(utf8));
    }

    /// <summary>
    /// A GET of a list, read as a <see cref="JsonDocument"/>: as JsonNodes, a 100-user page becomes
    /// thousands of objects, which the driver allocated and collected on the cores the product runs on.
    /// The body comes back as a JsonNode only when the answer is not 200, for the error message.
    /// </summary>
    public async Task<(HttpStatusCode Status, ListPage? Page, JsonNode? ErrorBody)> ListAsync(string path)
    {
        using var response = await NextGateway().GetAsync(path);
        var utf8 = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            return (response.StatusCode, null, utf8.Length == 0 ? null : JsonNode.Parse(utf8));
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        var ids = new List<string>();
        if (root.TryGetProperty("Resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var resource in resources.EnumerateArray())
                ids.Add(resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "");
        }
        int? total = root.TryGetProperty("totalResults", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null;
        var next = root.TryGetProperty("nextCursor", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (response.StatusCode, new ListPage(total, ids, next), null);
    }

    public void Dispose()
    {
        foreach (var gateway in _gateways)
            gateway.Dispose();
    }
}

/// <summary>What the driver checks of a list answer: its total, the ids of its resources in order, its next cursor.</summary>
public sealed record ListPage(int? TotalResults, List<string> Ids, string? NextCursor);
