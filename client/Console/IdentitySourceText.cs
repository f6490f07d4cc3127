using IdentityDirectory.Directory;

namespace IdentityDirectory.Gateway.Console;

/// <summary>
/// What an identity-source change will do, in the operator's words, before the operator confirms it. The
/// directory grain decides and carries out the change (I-1..I-10); this only tells what it will decide.
/// </summary>
public static class IdentitySourceText
{
    public static string Name(IdentitySource source) => source switch
    {
        IdentitySource.IdentityCenter => "Identity Center directory (built in)",
        IdentitySource.ActiveDirectory => "Active Directory",
        _ => "External identity provider (SAML and SCIM)",
    };

    public static IReadOnlyList<string> Consequences(IdentitySource from, IdentitySource to)
    {
        const string deletesAll = "All users, groups, group memberships and assignments of this tenant are deleted.";
        const string sessionsEnd = "Users who are signed in keep their sessions for at most two hours more, never beyond their own expiry; new sign-ins of deleted users are refused at once.";
        const string sessionsRun = "Active sessions run on to the end of their own duration.";
        const string provisioningOff = "Automatic provisioning is turned off and its SCIM tokens are deleted: the identity provider's next SCIM call gets 401.";
        return (from, to) switch
        {
            (IdentitySource.IdentityCenter, IdentitySource.ActiveDirectory) or (IdentitySource.ActiveDirectory, IdentitySource.IdentityCenter) =>
            [
                deletesAll + " They have to be synchronised or created again in the new source, and assignments made again (I-1).",
                "The identity store id and the access portal URL change; the old portal URL stops answering (I-1, I-10).",
                sessionsEnd,
            ],
            (IdentitySource.ExternalIdp, IdentitySource.ActiveDirectory) =>
                [deletesAll + " Users and groups come from the directory sync afterwards (I-6).", provisioningOff + " (I-9)", sessionsEnd],
            (IdentitySource.ActiveDirectory, IdentitySource.ExternalIdp) =>
            [
                deletesAll + " Users and groups have to be provisioned again by the identity provider or by hand (I-6).",
                "Automatic provisioning stays off until you enable it on the Automatic provisioning tab (I-9).",
                sessionsEnd,
            ],
            (IdentitySource.IdentityCenter, IdentitySource.ExternalIdp) =>
            [
                "Users, groups, memberships and assignments are kept; they keep working for users whose sign-in name at the new provider matches their userName (I-3).",
                "Automatic provisioning stays off until you enable it on the Automatic provisioning tab (I-9). Nothing is sent back to the identity provider (P-5).",
                "You can switch back to the Identity Center directory later (I-3).",
                sessionsRun,
            ],
            (IdentitySource.ExternalIdp, IdentitySource.IdentityCenter) =>
            [
                "Users, groups, memberships and assignments are kept (I-4).",
                "Users who had a directory password keep it; users who never had one are flagged as needing an administrator-forced password reset (I-4).",
                provisioningOff + " (I-9)",
                sessionsRun,
            ],
            _ =>
            [
                "Users, groups, memberships and assignments are kept (I-5); the tenant's tokens and provisioning stay as they are.",
                "Check that the new provider sends the same user names, so that users and groups match (I-5).",
                sessionsRun,
            ],
        };
    }
}
