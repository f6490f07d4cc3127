using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenants;

public sealed class DeleteTenantModel : TenantTab
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? confirm)
    {
        if (!Confirmed(confirm, Tenant.DisplayName, "confirm"))
            return Page();
        await Directory.DeleteAsync();
        Notice = $"Tenant {Tenant.DisplayName} deleted.";
        return Redirect($"{OperatorConsole.Root}/tenants");
    }
}
