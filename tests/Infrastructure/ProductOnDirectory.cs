namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>The product on a data directory that outlives it: a second one on the same directory is a restart.</summary>
public sealed class ProductOnDirectory : GatewayFixture
{
    public ProductOnDirectory(string directory, bool ownsDirectory, params (string Key, string Value)[] settings) : base(directory, ownsDirectory)
    {
        foreach (var (key, value) in settings)
            Settings[key] = value;
    }
}
