namespace IdentityDirectory.Sessions;

/// <summary>The access portal of one identity store, keyed by the identity store id (I-10): sign-in and session checks.</summary>
public interface IPortalGrain : IGrainWithStringKey
{
    /// <summary>Signs in the user whose userName matches (S-1; stands for an accepted SAML assertion).</summary>
    Task<SessionInfo> SignInAsync(string userName);

    Task<SessionStatus> GetSessionAsync(string sessionId);
}
