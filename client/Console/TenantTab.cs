using IdentityDirectory.Directory;
using IdentityDirectory.Scim;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityDirectory.Gateway.Console;

/// <summary>A page of one tenant (a tab): the tenant, its counts and its token reminder are loaded before any handler runs.</summary>
public abstract class TenantTab : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string TenantId { get; set; } = "";

    public TenantSummary Summary { get; private set; } = null!;

    public TenantInfo Tenant => Summary.Tenant;

    protected IDirectoryGrain Directory => Grains.Reference<IDirectoryGrain>(TenantId);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await Directory.SummarizeAsync() is not { } summary)
        {
            context.Result = ConsoleResults.Message(StatusCodes.Status404NotFound, "Tenant not found",
                $"There is no tenant {TenantId}: it was deleted, or the address is wrong.");
            return;
        }
        Summary = summary;
        await next();
    }

    /// <summary>After an action: the summary again, since the action may have changed it.</summary>
    protected async Task ReloadSummaryAsync() =>
        Summary = await Directory.SummarizeAsync() ?? throw ScimException.NotFound($"Tenant {TenantId} not found.");
}
