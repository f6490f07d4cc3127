using IdentityDirectory.Directory;
using IdentityDirectory.Gateway.Admin;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenants;

public sealed class CreateTenantModel : ConsolePage
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public IdentitySource Source { get; set; } = IdentitySource.IdentityCenter;

    [BindProperty]
    public string? Idp { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var tenant = await TenantCatalog.CreateAsync(Grains, Name, Source, string.IsNullOrWhiteSpace(Idp) ? null : Idp.Trim());
        Notice = $"Tenant {tenant.DisplayName} created.";
        return Redirect($"{OperatorConsole.Root}/tenants/{tenant.TenantId}");
    }
}
