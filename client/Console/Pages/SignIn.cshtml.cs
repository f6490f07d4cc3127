using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        HttpContext.RequestServices.GetRequiredService<ILogger<SignInModel>>()
            .LogWarning("A console sign-in with a wrong operator key was refused (from {RemoteAddress}).", HttpContext.Connection.RemoteIpAddress);
        return Page();
    }
}
