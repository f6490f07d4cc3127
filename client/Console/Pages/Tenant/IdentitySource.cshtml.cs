using IdentityDirectory.Directory;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class IdentitySourceModel : TenantTab
{
    [BindProperty]
    public IdentitySource Source { get; set; }

    [BindProperty]
    public string? Idp { get; set; }

    public bool Reviewing { get; private set; }

    public IReadOnlyList<string> Consequences { get; private set; } = [];

    public string PortalUrl => $"{PublicBase}/portal/{Tenant.IdentityStoreId}/";

    public void OnGet()
    {
        Source = Tenant.Source;
        Idp = Tenant.ExternalIdpName;
    }

    public void OnPostReview()
    {
        Idp = string.IsNullOrWhiteSpace(Idp) ? null : Idp.Trim();
        Reviewing = true;
        Consequences = Source == Tenant.Source && (Source != IdentitySource.ExternalIdp || Idp == Tenant.ExternalIdpName)
            ? ["This is the tenant's identity source already: nothing changes."]
            : IdentitySourceText.Consequences(Tenant.Source, Source);
    }

    public async Task<IActionResult> OnPostChangeAsync(string? accept)
    {
        if (!Confirmed(accept, "ACCEPT", "accept"))
        {
            OnPostReview();
            return Page();
        }
        var changed = await Directory.ChangeIdentitySourceAsync(Source, Idp);
        Notice = $"The identity source is now {IdentitySourceText.Name(changed.Source)}. Identity store id {changed.IdentityStoreId}, access portal {PublicBase}/portal/{changed.IdentityStoreId}/.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}");
    }
}
