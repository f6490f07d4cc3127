using IdentityDirectory.Gateway.Admin;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenants;

public sealed class TenantsModel : ConsolePage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? After { get; set; }

    public TenantPage Listing { get; private set; } = new([], null);

    public Task OnGetAsync() => LoadAsync();

    public override async Task LoadAsync()
    {
        Search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        Listing = await TenantCatalog.ListAsync(Grains, Search, Math.Max(0, After ?? 0), PageSize);
    }
}
