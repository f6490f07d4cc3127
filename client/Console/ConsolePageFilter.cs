using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace IdentityDirectory.Gateway.Console;

/// <summary>
/// Around every console page: the operator as the actor of what the page does (O-5); response headers that keep pages (which may show a secret) out of caches and
/// frames and allow only the console's own style sheet and script; a grain's refusal (a
/// <see cref="ScimException"/>) rendered on the page with the grain's words and status; and a form without
/// a valid antiforgery token answered 400 with a short page that says so.
/// </summary>
internal sealed class ConsolePageFilter : IAsyncPageFilter, IAsyncAlwaysRunResultFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Task.CompletedTask;
    }

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HttpContext.User.Identity?.IsAuthenticated == true)
            AuditContext.Set(AuditContext.Operator, RequestIds.Of(context.HttpContext)); // O-5: the console acts as the operator
        var executed = await next();
        if (executed.Exception is not ScimException refusal || context.HandlerInstance is not ConsolePage page)
            return;
        executed.ExceptionHandled = true;
        page.Refusal = refusal.Detail;
        context.HttpContext.Response.StatusCode = refusal.Status;
        if (refusal.Status != StatusCodes.Status404NotFound)
        {
            try
            {
                await page.LoadAsync();
            }
            catch (ScimException)
            {
                // The page shows the first refusal; what it could not load stays empty.
            }
        }
        executed.Result = page.Page();
    }

    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = ConsoleResults.Message(StatusCodes.Status400BadRequest, "Form refused",
                "The form did not carry this console's anti-forgery token, so nothing was done. Open the page again from the console and send the form from there.");
        }
        await next();
    }
}
