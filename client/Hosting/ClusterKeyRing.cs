using System.Xml.Linq;
using IdentityDirectory.Operator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityDirectory.Gateway.Hosting;

/// <summary>
/// ASP.NET Core data protection keys (the console's cookies and antiforgery tokens) kept by the cluster
/// (<see cref="IConsoleKeyRingGrain"/>) rather than in a gateway's own folder, so every gateway accepts a console
/// session any of them issued. Data protection reads the ring at start and about once a day, and writes a key every
/// 90 days, each time on a thread of its own, so waiting here for the grain holds up no request.
/// </summary>
public sealed class ClusterKeyRing(IGrainFactory grains) : IXmlRepository
{
    private IConsoleKeyRingGrain Ring => grains.Reference<IConsoleKeyRingGrain>(IConsoleKeyRingGrain.Key);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Ring.GetKeysAsync().GetAwaiter().GetResult().Select(key => XElement.Parse(key)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        Ring.AddKeyAsync(element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}

public static class ClusterKeyRingExtensions
{
    /// <summary>
    /// Data protection on the cluster's key ring. Silos register it too, though only gateways use it: data protection
    /// creates a key at start when the ring has none, and silos start before gateways (docker-compose, cluster-local.sh),
    /// so gateways starting together find a key rather than each making one of their own that the others do not know.
    /// </summary>
    public static IServiceCollection AddClusterKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("identity-directory");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeyManagementOptions>, UseClusterKeyRing>());
        return services;
    }

    private sealed class UseClusterKeyRing(IGrainFactory grains) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options)
        {
            options.XmlRepository = new ClusterKeyRing(grains);
            // Stored as the directory's data is, protected by the database (docs/decisions.md, Operator console): said
            // here, so data protection does not warn at every start that no encryptor was chosen.
            options.XmlEncryptor = new NullXmlEncryptor();
        }
    }
}
