namespace IdentityDirectory.Directory;

/// <summary>Where a tenant's users come from (I-1..I-10): the built-in directory, Active Directory, or an external IdP over SCIM.</summary>
public enum IdentitySource { IdentityCenter, ActiveDirectory, ExternalIdp }
