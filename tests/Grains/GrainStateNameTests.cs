using System.Reflection;
using IdentityDirectory.Directory;
using IdentityDirectory.Silo.Hosting;

namespace IdentityDirectory.Tests.Grains;

/// <summary>
/// Orleans' ADO.NET storage names a row by the state name and the grain key, not the grain type: two grain types with
/// one key and one state name would share a row. So each grain type keeps its state under a name of its own.
/// </summary>
public sealed class GrainStateNameTests
{
    [Fact]
    public void EveryGrainTypeStoresItsStateUnderANameOfItsOwn()
    {
        var names = typeof(DirectoryGrain).Assembly.GetTypes()
            .Where(type => typeof(Grain).IsAssignableFrom(type) && !type.IsAbstract)
            .SelectMany(type => type.GetConstructors().SelectMany(constructor => constructor.GetParameters())
                .Select(parameter => parameter.GetCustomAttribute<PersistentStateAttribute>())
                .OfType<PersistentStateAttribute>()
                .Where(state => state.StorageName == DirectoryStorage.Name)
                .Select(state => (Grain: type.Name, State: state.StateName)))
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names.GroupBy(name => name.State), group => Assert.Single(group.Select(name => name.Grain).Distinct()));
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("operator-webhook")]
    [InlineData("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")] // a tenant id
    [InlineData("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c")] // a tenant's token, user or group
    public void ProductKeysAreStoredUnderTheIdentityTheyAlwaysHad(string key)
    {
        // Rows written before keys were stored exactly are found again: the storage below sees the same grain id.
        var grainId = GrainId.Create("token", key);
        Assert.Equal(grainId, ExactKeyGrainStorage.StoredAs(grainId));
    }

    [Fact]
    public void KeysThatReadAsNumbersAreStoredUnderKeysOfTheirOwn()
    {
        string[] keys = ["20235", "020235", "abc", "ABC", "0+abc", "abc+x", Guid.Empty.ToString("N"), "\u001f20235"];
        var stored = keys.Select(key => ExactKeyGrainStorage.StoredAs(GrainId.Create("token", key))).ToList();

        Assert.Equal(keys.Length, stored.Distinct().Count());
        Assert.All(stored, id => Assert.False(id.TryGetIntegerKey(out _, out _) || id.TryGetGuidKey(out _, out _)));
    }
}
