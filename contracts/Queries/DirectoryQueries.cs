namespace IdentityDirectory.Queries;

/// <summary>
/// The query grain a caller asks about a directory partition: one of <see cref="Lanes"/> ids of the partition's
/// queries, picked at random. An Orleans client sends every call to one grain id through the same silo (it buckets
/// its messages by grain id, stateless workers included), and a stateless worker answers on the silo that receives
/// the call; with one id, all of a tenant's reads from a gateway that is a plain client would be answered by one
/// silo. Spread over several ids, they are answered by every silo.
/// </summary>
public static class DirectoryQueries
{
    /// <summary>Enough ids to spread a tenant's reads evenly over a cluster of a few silos.</summary>
    public const int Lanes = 16;

    private const char Separator = '#';

    public static IDirectoryQueryGrain DirectoryQueriesOf(this IGrainFactory grains, string partitionKey) =>
        grains.Reference<IDirectoryQueryGrain>($"{partitionKey}{Separator}{Random.Shared.Next(Lanes)}");

    /// <summary>The partition a query grain's key names, with or without its lane.</summary>
    public static string PartitionKeyOf(string grainKey)
    {
        var separator = grainKey.LastIndexOf(Separator);
        return separator < 0 ? grainKey : grainKey[..separator];
    }
}
