namespace IdentityDirectory.Tests.Fuzz;

/// <summary>
/// What the generators aim at: a SCIM tenant (ExternalIdp, provisioning on) with users and groups, a second
/// SCIM tenant whose token must not open the first, and a tenant under manual provisioning (IdentityCenter)
/// for the admin API and its access portal. Valid requests of the generators never delete these tenants,
/// change their identity source or revoke their tokens, so the whole run keeps aiming at live resources.
/// </summary>
public sealed record FuzzTargets(
    string ScimTenant,
    string ScimToken,
    string OtherTenantToken,
    IReadOnlyList<string> UserIds,
    IReadOnlyList<string> GroupIds,
    string ManualTenant,
    string IdentityStoreId,
    IReadOnlyList<string> ManualUserIds,
    IReadOnlyList<string> ManualGroupIds,
    string ManualUserName,
    string OperatorKey)
{
    public string ScimBase => $"/{ScimTenant}/scim/v2";
}
