using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages;

public sealed class IndexModel : ConsolePage
{
    public IActionResult OnGet() => Redirect($"{OperatorConsole.Root}/tenants");
}
