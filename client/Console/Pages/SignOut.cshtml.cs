using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages;

public sealed class SignOutModel : ConsolePage
{
    public IActionResult OnGet() => Redirect($"{OperatorConsole.Root}/tenants");

    public async Task<IActionResult> OnPostAsync()
    {
        await ConsoleSession.SignOutAsync(HttpContext);
        return Redirect($"{OperatorConsole.Root}/sign-in");
    }
}
