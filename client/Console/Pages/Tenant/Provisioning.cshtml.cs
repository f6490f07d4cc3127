using IdentityDirectory.Directory;
using IdentityDirectory.Tokens;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

/// <summary>A secret just issued: shown in the answer to the form that issued it, and nowhere else (T-1, T-2).</summary>
public sealed record IssuedSecret(string? Endpoint, string Token);

public sealed class ProvisioningModel : TenantTab
{
    public TokenOverview Tokens { get; private set; } = new([], false);

    public IssuedSecret? Issued { get; private set; }

    public string ReminderReason => Tokens.Tokens.Where(t => t.Expired || t.ReminderCadence != ReminderCadence.None).MinBy(t => t.ExpiresAt) is { } due
        ? due.Expired
            ? $"Token {due.TokenId} expired on {ConsoleFormat.Instant(due.ExpiresAt)}: the identity provider's calls with it get 401."
            : $"Token {due.TokenId} expires on {ConsoleFormat.Instant(due.ExpiresAt)}, in {due.DaysRemaining} days; after that, provisioning through it stops."
        : "The expiring token is gone, but a token that was never used (or has expired) remains.";

    public override async Task LoadAsync() => Tokens = await Directory.ListTokensAsync();

    public Task OnGetAsync() => LoadAsync();

    public async Task OnPostEnableAsync()
    {
        var grant = await Directory.EnableProvisioningAsync(PublicBase);
        Issued = new IssuedSecret(grant.ScimEndpoint, grant.Token);
        await ShowAfterActionAsync();
    }

    public async Task OnPostGenerateAsync()
    {
        Issued = new IssuedSecret(null, await Directory.CreateTokenAsync());
        await ShowAfterActionAsync();
    }

    private async Task ShowAfterActionAsync()
    {
        await ReloadSummaryAsync();
        await LoadAsync();
    }
}
