using IdentityDirectory.Directory;

namespace IdentityDirectory;

/// <summary>
/// Who is acting, carried from the gateway into grains by the Orleans request context, so every
/// write can record its audit entry (O-5) without each grain method taking the caller as a parameter.
/// </summary>
public static class AuditContext
{
    private const string ActorKey = "audit-actor";
    private const string RequestKey = "audit-request";

    public static void Set(string actor, string requestId)
    {
        RequestContext.Set(ActorKey, actor);
        RequestContext.Set(RequestKey, requestId);
    }

    public static string Operator => "operator";

    /// <summary>The request the current call serves, when it came through the gateway.</summary>
    public static string? RequestId => RequestContext.Get(RequestKey) as string;

    private const string TokenActorPrefix = "token:";

    public static string Token(string tokenId) => TokenActorPrefix + tokenId;

    /// <summary>Whether the current call serves a SCIM request, made with a tenant's token.</summary>
    public static bool ActsWithScimToken => RequestContext.Get(ActorKey) is string actor && actor.StartsWith(TokenActorPrefix, StringComparison.Ordinal);

    public static AuditEntry Entry(TimeProvider time, string action, string target) =>
        new(time.GetUtcNow(), RequestContext.Get(ActorKey) as string ?? "system", action, target, RequestContext.Get(RequestKey) as string);
}
