using IdentityDirectory.Filters;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Store;

namespace IdentityDirectory.Tests.Filters;

/// <summary>R-FLT-5: what a filter must examine outside the indexes is bounded; past the bound it is tooMany, before any scan.</summary>
public abstract class FilterGuardContract(StoreEngine engine)
{
    private const int Limit = 10;
    private readonly DirectoryPartition _partition = StoreRows.NewPartition();

    private IDirectoryStore Store => engine.Store;

    /// <summary>Runs the filter over 25 users, u00@x.com … u24@x.com, with a limit of 10.</summary>
    private async Task<ResourcePage> QueryAsync(string filter, string? sortBy = null)
    {
        await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            Store.InsertUserAsync(_partition, StoreRows.NewUser($"user-{i}", $"u{i:D2}@x.com"), 1_000, StoreRows.CreateUserAudit($"user-{i}"))));
        return await Store.QueryUsersAsync(_partition, new ResourceQuery(FilterCapability.Rfc.Parse(filter, FilterScope.Users),
            FilterCapability.Rfc.Sort(sortBy, null, FilterScope.Users), Limit), new PageRequest(100, 1, false, 0));
    }

    [Theory]
    [InlineData("userName co \"1\"")]
    [InlineData("not (userName eq \"u01@x.com\")")]
    [InlineData("title pr")]
    [InlineData("userName sw \"u\" and title pr")] // the indexed part selects all 25
    [InlineData("userName eq \"u01@x.com\" or title pr")]
    public async Task AFilterThatWouldScanMoreThanTheLimitIsTooMany(string filter)
    {
        await Assert.ThrowsAsync<TooManyResultsException>(() => QueryAsync(filter));
    }

    [Fact]
    public async Task ASortWithoutAnIndexOverMoreThanTheLimitIsTooMany()
    {
        // Rule R-LST-5 with R-FLT-5: sorting by a value outside the key columns reads every match
        await Assert.ThrowsAsync<TooManyResultsException>(() => QueryAsync("userName sw \"u\"", sortBy: "title"));
    }

    [Theory]
    [InlineData("userName sw \"u1\"", 10)] // an index range, however large, is no scan
    [InlineData("userName gt \"u20\"", 5)] // u20@x.com … u24@x.com
    [InlineData("userName eq \"u01@x.com\" and title pr", 0)] // one candidate, through a unique index
    [InlineData("userName sw \"u1\" and not (userName co \"5\")", 9)] // ten candidates: within the limit
    [InlineData("externalId eq \"ext-user-3\" or userName eq \"u04@x.com\"", 2)]
    public async Task AFilterTheIndexesNarrowToTheLimitIsAnswered(string filter, int total)
    {
        Assert.Equal(total, (await QueryAsync(filter)).Total);
    }

    [Fact]
    public async Task ASortByAKeyColumnIsAnsweredAtAnySize()
    {
        var page = await QueryAsync("userName sw \"u\"", sortBy: "userName");

        Assert.Equal(25, page.Total);
    }
}

public sealed class SqliteFilterGuardTests(SqliteStoreEngine engine) : FilterGuardContract(engine), IClassFixture<SqliteStoreEngine>;

public sealed class PostgresFilterGuardTests(PostgresStoreEngine engine) : FilterGuardContract(engine), IClassFixture<PostgresStoreEngine>;
