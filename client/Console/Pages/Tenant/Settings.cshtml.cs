using System.Globalization;
using IdentityDirectory.Directory;
using Microsoft.AspNetCore.Mvc;

namespace IdentityDirectory.Gateway.Console.Pages.Tenant;

/// <summary>The tenant's settings (O-3): the form sends every field; the directory grain validates them and its refusal shows as is.</summary>
public sealed class SettingsModel : TenantTab
{
    public TenantSettings Current { get; private set; } = null!;

    [BindProperty] public string? Profile { get; set; }
    [BindProperty] public string? SessionMinutes { get; set; }
    [BindProperty] public string? UserQuota { get; set; }
    [BindProperty] public string? GroupQuota { get; set; }
    [BindProperty] public string? ReadsPerSecond { get; set; }
    [BindProperty] public string? WritesPerSecond { get; set; }
    [BindProperty] public string? MembershipChangesPerSecond { get; set; }

    public override async Task LoadAsync() => Current = await Directory.GetSettingsAsync();

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Profile = Current.Profile;
        SessionMinutes = Current.SessionDuration.TotalMinutes.ToString(CultureInfo.InvariantCulture);
        UserQuota = Current.UserQuota.ToString(CultureInfo.InvariantCulture);
        GroupQuota = Current.GroupQuota.ToString(CultureInfo.InvariantCulture);
        ReadsPerSecond = Current.ReadsPerSecond.ToString(CultureInfo.InvariantCulture);
        WritesPerSecond = Current.WritesPerSecond.ToString(CultureInfo.InvariantCulture);
        MembershipChangesPerSecond = Current.MembershipChangesPerSecond.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var change = new TenantSettingsChange(
            Profile,
            Number<double>(SessionMinutes, "Session duration", double.TryParse) is { } minutes ? TimeSpan.FromMinutes(Math.Min(minutes, MaxMinutes)) : null,
            Number<int>(UserQuota, "User quota", int.TryParse),
            Number<int>(GroupQuota, "Group quota", int.TryParse),
            Number<double>(ReadsPerSecond, "SCIM reads per second", double.TryParse),
            Number<double>(WritesPerSecond, "SCIM writes per second", double.TryParse),
            Number<double>(MembershipChangesPerSecond, "Membership changes per second", double.TryParse));
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        await Directory.UpdateSettingsAsync(change);
        Notice = "Settings saved.";
        return Redirect($"{OperatorConsole.Root}/tenants/{TenantId}/settings");
    }

    /// <summary>Longer than any duration the grain accepts, short enough to be a <see cref="TimeSpan"/>: a huge entry reaches the grain's own refusal.</summary>
    private const double MaxMinutes = 1e9;

    private delegate bool Parser<T>(string text, NumberStyles style, IFormatProvider provider, out T value);

    /// <summary>The field's number, or null (a setting left as it is) when it is empty; text that is no number is reported, not guessed.</summary>
    private T? Number<T>(string? text, string label, Parser<T> parse) where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (parse(text.Trim(), NumberStyles.Float & ~NumberStyles.AllowExponent | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value)
            && (value is not double number || double.IsFinite(number)))
            return value;
        ModelState.AddModelError(label, $"{label}: “{text}” is not a number.");
        return null;
    }
}
