using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityDirectory.Gateway.Console;

/// <summary>A console page: what it shows is loaded by <see cref="LoadAsync"/>, also after a refused action.</summary>
public abstract class ConsolePage : PageModel
{
    /// <summary>The grain's refusal of the action just tried, in its own words.</summary>
    public string? Refusal { get; set; }

    /// <summary>What the last action did, carried across its redirect.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Notice { get; set; }

    protected IGrainFactory Grains => HttpContext.RequestServices.GetRequiredService<IGrainFactory>();

    protected TimeProvider Time => HttpContext.RequestServices.GetRequiredService<TimeProvider>();

    /// <summary>The product's address as this request reached it: the base of SCIM endpoints and portal URLs.</summary>
    protected string PublicBase => Admin.AdminEndpoints.PublicBase(Request);

    public virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>A form's confirmation word, compared as the operator typed it (no trimming, exact case).</summary>
    protected bool Confirmed(string? typed, string word, string field)
    {
        if (typed == word)
            return true;
        ModelState.AddModelError(field, $"Type {word} to confirm.");
        return false;
    }
}
