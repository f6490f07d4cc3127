using IdentityDirectory.Scim;

namespace IdentityDirectory.Bulk;

/// <summary>Runs Bulk requests (R-BULK-1..2) of one directory partition, keyed by the partition.</summary>
public interface IBulkGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs each operation of a BulkRequest body as its own request (each atomic on its own), resolving
    /// <c>bulkId:</c> references, until the end or <c>failOnErrors</c> errors; returns the BulkResponse.
    /// </summary>
    [ResponseTimeout("00:02:00")] // up to 1,000 operations, each a write: beyond a gateway's short timeout (docs/decisions.md, Cluster mode)
    Task<ScimJson> ProcessAsync(ScimRequest request);
}
