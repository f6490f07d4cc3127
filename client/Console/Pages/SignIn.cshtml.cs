using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages;

public sealed class SignInModel : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Wrong { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        if (await ConsoleSession.SignInAsync(HttpContext, key ?? ""))
            return LocalRedirect(ReturnUrl is { } url && url.StartsWith(OperatorConsole.Root + "/", StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : $"{OperatorConsole.Root}/tenants");
        Wrong = true;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
