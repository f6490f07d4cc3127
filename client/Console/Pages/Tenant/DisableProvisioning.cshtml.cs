using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class DisableProvisioningModel : TenantTab
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? confirm)
    {
        if (!Confirmed(confirm, "DISABLE", "confirm"))
            return Page();
        await Directory.DisableProvisioningAsync();
        Notice = "Automatic provisioning disabled; SCIM calls now get 401.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/provisioning");
    }
}
