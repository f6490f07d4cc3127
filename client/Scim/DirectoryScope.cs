using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>
/// The directory partition an authenticated SCIM request works in, as its token names it. Bound as
/// a handler parameter; read after the auth filter has run.
/// </summary>
public sealed class DirectoryScope(HttpContext context)
{
    private static readonly object PartitionKey = new();

    public static ValueTask<DirectoryScope?> BindAsync(HttpContext context) => ValueTask.FromResult<DirectoryScope?>(new DirectoryScope(context));

    public static void Set(HttpContext context, string partition) => context.Items[PartitionKey] = partition;

    public string Partition => context.Items[PartitionKey] as string
        ?? throw new InvalidOperationException("The request was not authenticated.");

    public string Key(string id) => ResourceKey.Of(Partition, id);
}
