using IdentityDirectory.Directory;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

/// <summary>The tenant's health events (T-8) and audit records (O-5), each newest first and paged on its own.</summary>
public sealed class ActivityModel : TenantTab
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public long? EventsBefore { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? AuditBefore { get; set; }

    public IReadOnlyList<DirectoryEvent> Events { get; private set; } = [];

    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    public override async Task LoadAsync()
    {
        Events = await Directory.ListRecentEventsAsync(EventsBefore ?? long.MaxValue, PageSize);
        Audit = await Directory.ListRecentAuditAsync(AuditBefore ?? long.MaxValue, PageSize);
    }

    public Task OnGetAsync() => LoadAsync();
}
