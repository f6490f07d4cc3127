using IdentityDirectory.Directory;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

public sealed class DeleteTokenModel : TenantTab
{
    [BindProperty(SupportsGet = true)]
    public string TokenId { get; set; } = "";

    public TokenView? Token { get; private set; }

    public override async Task LoadAsync() => Token = (await Directory.ListTokensAsync()).Tokens.FirstOrDefault(t => t.TokenId == TokenId);

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync(string? confirm)
    {
        if (!Confirmed(confirm, "DELETE", "confirm"))
        {
            await LoadAsync();
            return Page();
        }
        await Directory.DeleteTokenAsync(TokenId);
        Notice = $"Token {TokenId} deleted; calls with it now get 401.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/provisioning");
    }
}
