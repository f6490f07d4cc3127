using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace IdentityDirectory.Cli;

/// <summary>The admin API over HTTP; a problem answer becomes an <see cref="AdminApiException"/> with its detail.</summary>
public sealed class AdminClient(string baseUrl, string operatorKey) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/admin/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", operatorKey) },
    };

    public Task<JsonNode?> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonNode?> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<JsonNode?> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? null : JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode)
            throw new AdminApiException((int)response.StatusCode, json?["detail"]?.GetValue<string>() ?? json?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "");
        return json;
    }

    public void Dispose() => _http.Dispose();
}

public sealed class AdminApiException(int status, string detail) : Exception($"{status}: {detail}");
