using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace IdentityDirectory.Gateway;

/// <summary>
/// Failures of the cluster rather than of a request: a call that outlived the client's response timeout (its silo
/// died while it was in flight, docs/operations.md "Failover"), a silo or connection that is gone. The request may
/// have been applied, and a retry after a moment meets the cluster that replaced the silo.
/// </summary>
public static class ClusterFailures
{
    public static bool IsUnavailable(Exception error) =>
        error is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException;
}
