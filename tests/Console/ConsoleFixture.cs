using IdentityDirectory.Tests.Admin;

namespace IdentityDirectory.Tests.Console;

/// <summary>
/// The embedded product on Kestrel at 127.0.0.1 with its own fake clock, and one headless Chromium driving it.
/// Every test of the collection signs in itself, since a test may move the clock past any session's end.
/// </summary>
public sealed class ConsoleFixture : AdminFixture
{
    public ConsoleBrowser Browser { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Browser = new ConsoleBrowser(BaseAddress);
    }

    public override async Task DisposeAsync()
    {
        Browser.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
