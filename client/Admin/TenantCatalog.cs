using IdentityDirectory.Directory;
using IdentityDirectory.Operator;

namespace IdentityDirectory.Gateway.Admin;

public sealed record TenantPage(IReadOnlyList<TenantSummary> Tenants, string? Next);

/// <summary>The operator's tenants as the admin API and the console both create, list and search them (O-2).</summary>
public static class TenantCatalog
{
    /// <summary>How many tenants of the registry one search page reads at most before it answers, full or not.</summary>
    public const int SearchWindow = 1000;

    public static Task<TenantInfo> CreateAsync(IGrainFactory grains, string? displayName, IdentitySource? source, string? externalIdpName)
    {
        var tenantId = Guid.NewGuid().ToString();
        var spec = new TenantSpec(string.IsNullOrWhiteSpace(displayName) ? tenantId : displayName.Trim(), source ?? IdentitySource.IdentityCenter, externalIdpName);
        return grains.Reference<IDirectoryGrain>(tenantId).CreateAsync(spec);
    }

    /// <summary>
    /// A page of tenants in creation order after <paramref name="after"/> (a position returned as <c>Next</c>).
    /// With <paramref name="search"/>: the tenant of that id, or the tenants whose name contains it (any
    /// case) among those the page read: pages of <paramref name="count"/> until <paramref name="count"/>
    /// matched or <see cref="SearchWindow"/> were read, so a page may hold fewer or more than
    /// <paramref name="count"/> and still have a <c>Next</c>.
    /// </summary>
    public static async Task<TenantPage> ListAsync(IGrainFactory grains, string? search, long after, int count)
    {
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        var registry = grains.Reference<IOperatorGrain>(IOperatorGrain.Key);
        if (search is null)
        {
            var page = await registry.ListTenantsAsync(after, count);
            return new TenantPage(await SummarizeAsync(grains, page.TenantIds), page.Next?.ToString());
        }

        if (Guid.TryParse(search, out var tenantId))
        {
            var tenant = await grains.Reference<IDirectoryGrain>(tenantId.ToString()).SummarizeAsync();
            return new TenantPage(tenant is null ? [] : [tenant], null);
        }

        var found = new List<TenantSummary>();
        long? next = after;
        for (var read = 0; next is { } position && found.Count < count && read < SearchWindow; read += count)
        {
            var page = await registry.ListTenantsAsync(position, count);
            next = page.Next;
            foreach (var tenant in await SummarizeAsync(grains, page.TenantIds))
            {
                if (tenant.Tenant.DisplayName.Contains(search, StringComparison.OrdinalIgnoreCase))
                    found.Add(tenant);
            }
        }
        return new TenantPage(found, next?.ToString());
    }

    private static async Task<IReadOnlyList<TenantSummary>> SummarizeAsync(IGrainFactory grains, IReadOnlyList<string> tenantIds) =>
        (await Task.WhenAll(tenantIds.Select(id => grains.Reference<IDirectoryGrain>(id).SummarizeAsync()))).OfType<TenantSummary>().ToList();
}
