namespace IdentityDirectory.Tests.Infrastructure;

/// <summary>Where tests keep the data of the products and clusters they start: a fresh folder each, under one parent.</summary>
public static class TestDirectories
{
    public static string New() => Path.Combine(Path.GetTempPath(), "idir-tests", Guid.NewGuid().ToString("N"));
}
