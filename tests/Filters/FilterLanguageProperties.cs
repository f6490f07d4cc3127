using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityDirectory.Filters;
using IdentityDirectory.Scim;
using IdentityDirectory.Store;
using IdentityDirectory.Tests.Store;

namespace IdentityDirectory.Tests.Filters;

/// <summary>
/// The filter language against a reference (R-FLT-1..4, R-LST-5): thousands of generated filters,
/// valid and mutated, over a generated directory. Every accepted filter returns exactly the resources,
/// and every sort exactly the order, that <see cref="ReferenceEvaluator"/> computes; every refused one is
/// 400 invalidFilter; nothing else ever comes out (never a 500). Seeded, so a failure replays.
/// Each engine runs it in a subclass.
/// </summary>
public abstract class FilterLanguageProperties(StoreEngine engine) : IAsyncLifetime
{
    private const string Seed = "0N0XIzNsQ0O2";
    private readonly DirectoryPartition _partition = StoreRows.NewPartition();
    private static readonly FilterDirectory Directory = new(seed: 7, users: 70, groups: 12);

    private IDirectoryStore Store => engine.Store;

    public Task InitializeAsync() => Directory.WriteAsync(Store, _partition);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryValidFilterReturnsWhatTheReferenceReturns()
    {
        // Rule R-FLT-1, R-FLT-2, R-FLT-3
        await Generated(true).SampleAsync(async (filter, seed) => await ExpectReferenceAsync(filter, seed, true), seed: Seed, iter: 2_000, threads: 1);
        await Generated(false).SampleAsync(async (filter, seed) => await ExpectReferenceAsync(filter, seed, false), seed: Seed, iter: 800, threads: 1);
    }

    [Fact]
    public async Task EverySortReturnsTheReferenceOrder()
    {
        // Rule R-LST-5, R-LST-2 (stable order)
        var gen = Gen.Select(Generated(true), Gen.Int[0, UserSortable.Length - 1], Gen.Bool);
        await gen.SampleAsync(async (filterAndSeed, sortBy, descending) =>
        {
            var (filter, seed) = filterAndSeed;
            var writer = new FilterWriter(seed);
            var text = writer.Write(filter, true);
            var attribute = UserSortable[sortBy];
            var sort = FilterCapability.Rfc.Sort(writer.Path(attribute, true), descending ? writer.Cased("descending") : "ascending", FilterScope.Users);
            var actual = await QueryAsync(FilterCapability.Rfc.Parse(text, FilterScope.Users), sort, true);
            var expected = ReferenceEvaluator.Sort(Directory.Users.Where(u => ReferenceEvaluator.Matches(filter, u, true)).ToList(), attribute, descending, true);
            Assert.True(expected.Select(u => u.Id).SequenceEqual(actual),
                $"sortBy={attribute.Path} descending={descending} filter={text}\nexpected {string.Join(",", expected.Select(Name))}\nactual   {string.Join(",", actual.Select(Name))}");
        }, seed: Seed, iter: 600, threads: 1);
    }

    [Fact]
    public async Task EveryMutatedFilterIsRefusedAsInvalidFilter()
    {
        // Rule R-FLT-4 (malformed, unknown operator or attribute → 400 invalidFilter), R-FLT-3 (gt on a boolean → invalidFilter)
        var gen = Gen.Select(Generated(true), Gen.Int[0, Broken.Length - 1], Gen.Int[0, 1]);
        await gen.SampleAsync(async (filterAndSeed, broken, side) =>
        {
            var (filter, seed) = filterAndSeed;
            var text = new FilterWriter(seed).Write(filter, true);
            var mutated = Broken[broken](text);
            mutated = side == 0 ? mutated : mutated.Replace("\u0001", text);
            foreach (var capability in new[] { FilterCapability.Rfc, FilterCapability.Aws })
            {
                var error = Assert.Throws<ScimException>(() => capability.Parse(mutated, FilterScope.Users));
                Assert.True(error is { Status: 400, ScimType: ScimTypes.InvalidFilter }, $"{mutated}: {error.Status} {error.ScimType} {error.Detail}");
            }
            await Task.CompletedTask;
        }, seed: Seed, iter: 1_500, threads: 1);
    }

    [Fact]
    public async Task NoEditOfAFilterEverEndsInAnythingButAnAnswerOrInvalidFilter()
    {
        // Rule R-FLT-4, R-GEN-8 (never a 500): random edits of valid filters are either answered or refused with 400 invalidFilter
        var gen = Gen.Select(Generated(true), Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Char["\"()[] .aeqnot\\0-9"]);
        await gen.SampleAsync(async (filterAndSeed, edit, position, character) =>
        {
            var (filter, seed) = filterAndSeed;
            var text = new FilterWriter(seed).Write(filter, true);
            var at = position % (text.Length + 1);
            var edited = edit switch
            {
                0 when at < text.Length => text.Remove(at, 1),
                1 => text.Insert(at, character.ToString()),
                _ => text[..at],
            };
            foreach (var capability in new[] { FilterCapability.Rfc, FilterCapability.Aws })
            {
                FilterExpression? parsed;
                try
                {
                    parsed = capability.Parse(edited, FilterScope.Users);
                }
                catch (ScimException e)
                {
                    Assert.True(e is { Status: 400, ScimType: ScimTypes.InvalidFilter }, $"{edited}: {e.Status} {e.ScimType} {e.Detail}");
                    continue;
                }
                await QueryAsync(parsed, null, true);
            }
        }, seed: Seed, iter: 1_500, threads: 1);
    }

    private async Task ExpectReferenceAsync(ReferenceFilter filter, int seed, bool isUser)
    {
        var text = new FilterWriter(seed).Write(filter, isUser);
        var scope = isUser ? FilterScope.Users : FilterScope.Groups;
        var resources = isUser ? Directory.Users : Directory.Groups;
        var expected = resources.Where(r => ReferenceEvaluator.Matches(filter, r, isUser)).Select(r => r.Id).ToList();
        var actual = await QueryAsync(FilterCapability.Rfc.Parse(text, scope), null, isUser);
        Assert.True(expected.SequenceEqual(actual), $"{text}\nexpected {string.Join(",", expected.Select(Name))}\nactual   {string.Join(",", actual.Select(Name))}");

        // The aws profile serves a part of the language, and what it serves it answers alike (R-FLT-6).
        FilterExpression? aws;
        try
        {
            aws = FilterCapability.Aws.Parse(text, scope);
        }
        catch (ScimException e)
        {
            Assert.True(e is { Status: 400, ScimType: ScimTypes.InvalidFilter }, $"aws {text}: {e.Status} {e.ScimType} {e.Detail}");
            return;
        }
        Assert.Equal(expected, await QueryAsync(aws, null, isUser));
    }

    /// <summary>The ids the store answers, in its order; every match on one page, whose total must agree.</summary>
    private async Task<List<string>> QueryAsync(FilterExpression? filter, ResourceSort? sort, bool isUser)
    {
        var query = new ResourceQuery(filter, sort);
        var page = new PageRequest(100, 1, CursorMode: false, After: 0);
        var result = isUser ? await Store.QueryUsersAsync(_partition, query, page) : await Store.QueryGroupsAsync(_partition, query, page);
        var ids = result.Resources.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, result.Total);
        return ids;
    }

    private static string Name(string id) =>
        Directory.Users.Concat(Directory.Groups).First(r => r.Id == id) is var r ? (r.Attributes["userName"] ?? r.Attributes["displayName"])!.GetValue<string>() : id;

    private static string Name(FilterResource resource) => Name(resource.Id);

    // Generators ---------------------------------------------------------------------------------------

    private static readonly ReferenceAttribute[] UserAttributes =
    [
        new("userName", null, ReferenceType.String), new("displayName", null, ReferenceType.String), new("title", null, ReferenceType.String),
        new("nickName", null, ReferenceType.String), new("externalId", null, ReferenceType.String, CaseExact: true),
        new("id", null, ReferenceType.String, CaseExact: true), new("active", null, ReferenceType.Boolean),
        new("name", "givenName", ReferenceType.String), new("name", "familyName", ReferenceType.String), new("name", null, ReferenceType.Complex),
        new("emails", "value", ReferenceType.String, MultiValued: true), new("emails", "type", ReferenceType.String, MultiValued: true),
        new("emails", "primary", ReferenceType.Boolean, MultiValued: true), new("emails", null, ReferenceType.Complex, MultiValued: true),
        new("phoneNumbers", "value", ReferenceType.String, MultiValued: true), new("phoneNumbers", "type", ReferenceType.String, MultiValued: true),
        new("employeeNumber", null, ReferenceType.String, Enterprise: true), new("department", null, ReferenceType.String, Enterprise: true),
        new("manager", "value", ReferenceType.String, CaseExact: true, Enterprise: true), new("manager", null, ReferenceType.Complex, Enterprise: true),
        new("groups", "value", ReferenceType.String, CaseExact: true, MultiValued: true),
        new("meta", "created", ReferenceType.DateTime), new("meta", "lastModified", ReferenceType.DateTime),
        new("meta", "resourceType", ReferenceType.String, CaseExact: true),
    ];

    private static readonly ReferenceAttribute[] GroupAttributes =
    [
        new("displayName", null, ReferenceType.String), new("externalId", null, ReferenceType.String, CaseExact: true),
        new("id", null, ReferenceType.String, CaseExact: true), new("members", "value", ReferenceType.String, CaseExact: true, MultiValued: true),
        new("meta", "created", ReferenceType.DateTime), new("meta", "lastModified", ReferenceType.DateTime),
    ];

    private static readonly ReferenceAttribute[] UserSortable =
        [.. UserAttributes.Where(a => a.Type != ReferenceType.Complex && a.Name is not ("groups" or "meta") || a is { Name: "meta", Sub: not "resourceType" })];

    private static readonly string[] StringOperators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"];
    private static readonly string[] OrderedOperators = ["eq", "ne", "gt", "ge", "lt", "le", "pr"];

    /// <summary>A valid filter over the users (or groups), with the seed its writer draws spelling and spacing from.</summary>
    private static Gen<(ReferenceFilter, int)> Generated(bool isUser) => Gen.Select(Filter(isUser, 3), Gen.Int);

    private static Gen<ReferenceFilter> Filter(bool isUser, int depth)
    {
        var leaf = Comparison(isUser ? UserAttributes : GroupAttributes, isUser);
        if (depth == 0)
            return leaf;
        var inner = Filter(isUser, depth - 1);
        var choices = new List<(int, IGen<ReferenceFilter>)>
        {
            (5, leaf),
            (2, Gen.Select(inner, inner, (l, r) => (ReferenceFilter)new ReferenceAnd(l, r))),
            (2, Gen.Select(inner, inner, (l, r) => (ReferenceFilter)new ReferenceOr(l, r))),
            (1, inner.Select(f => (ReferenceFilter)new ReferenceNot(f))),
            (1, inner.Select(f => (ReferenceFilter)new ReferenceParentheses(f))),
        };
        if (isUser)
            choices.Add((2, ValuePath()));
        return Gen.Frequency([.. choices]);
    }

    private static Gen<ReferenceFilter> Comparison(ReferenceAttribute[] attributes, bool isUser) =>
        Gen.Int[0, attributes.Length - 1].SelectMany(i => ComparisonOn(attributes[i], isUser));

    private static Gen<ReferenceFilter> ComparisonOn(ReferenceAttribute attribute, bool isUser)
    {
        var operators = attribute.Type switch
        {
            ReferenceType.String => StringOperators,
            ReferenceType.DateTime => OrderedOperators,
            ReferenceType.Boolean => ["eq", "ne", "pr"],
            _ => ["pr"],
        };
        return Gen.Select(Gen.Int[0, operators.Length - 1], Gen.Int[0, 19], Value(attribute, isUser),
            (o, nullChance, value) => (ReferenceFilter)new ReferenceComparison(attribute, operators[o],
                operators[o] == "pr" ? null : nullChance == 0 && operators[o] is "eq" or "ne" ? null : value));
    }

    /// <summary>A value of the attribute's type, mostly taken from the directory (in another case, or a part of it) so that filters match.</summary>
    private static Gen<object> Value(ReferenceAttribute attribute, bool isUser)
    {
        var resources = isUser ? Directory.Users : Directory.Groups;
        switch (attribute.Type)
        {
            case ReferenceType.Boolean:
                return Gen.Bool.Select(b => (object)b);
            case ReferenceType.DateTime:
                var instants = resources.SelectMany(r => new[] { r.Created, r.LastModified }).Distinct().ToArray();
                return Gen.Select(Gen.Int[0, instants.Length - 1], Gen.Int[-1, 1], (i, shift) => (object)instants[i].AddSeconds(shift));
            default:
                var values = resources.SelectMany(r => ReferenceEvaluator.Values(r, attribute, isUser)).OfType<string>()
                    .Concat(FilterDirectory.Words).Append("").Distinct().ToArray();
                return Gen.Select(Gen.Int[0, values.Length - 1], Gen.Int[0, 3], Gen.Int[0, 40], Gen.Int[0, 40], (i, casing, from, length) =>
                {
                    var value = values[i];
                    value = casing switch { 0 => value.ToUpperInvariant(), 1 => value.ToLowerInvariant(), _ => value };
                    if (length > 30 || value.Length == 0)
                        return (object)value;
                    var start = Math.Min(from % (value.Length + 1), value.Length);
                    var part = value.Substring(start, Math.Min(length % 6, value.Length - start));
                    return part.Length > 0 && char.IsLowSurrogate(part[0]) || part.Length > 0 && char.IsHighSurrogate(part[^1]) ? value : part;
                });
        }
    }

    private static Gen<ReferenceFilter> ValuePath()
    {
        ReferenceAttribute[] emails = [.. UserAttributes.Where(a => a is { Name: "emails", Sub: not null })];
        ReferenceAttribute[] groups = [.. UserAttributes.Where(a => a is { Name: "groups" })];
        var emailFilter = Gen.Select(Comparison(emails, true), Comparison(emails, true), Gen.Int[0, 2],
            (l, r, shape) => shape switch { 0 => l, 1 => new ReferenceAnd(l, r), _ => (ReferenceFilter)new ReferenceOr(l, new ReferenceNot(r)) });
        return Gen.Frequency(
            (4, Gen.Select(emailFilter, Comparison(emails, true), Gen.Bool, (inner, tail, withTail) =>
                (ReferenceFilter)new ReferenceValuePath(emails[0], inner, withTail && ((ReferenceComparison)tail).Op != "pr" ? (ReferenceComparison)tail : null))),
            (1, Comparison(groups, true).Select(inner => (ReferenceFilter)new ReferenceValuePath(groups[0], inner, null))));
    }

    /// <summary>Ways to break a filter; <c>\u0001</c> stands for the valid filter, which the case may join on either side.</summary>
    private static readonly Func<string, string>[] Broken =
    [
        text => text + " and",
        text => "(" + text,
        text => text + ")",
        text => text + " or",
        text => "not " + (text.StartsWith('(') || text.StartsWith("not", StringComparison.OrdinalIgnoreCase) ? "userName eq \"x\"" : text),
        text => "\u0001 and nosuch eq \"x\"",
        text => "\u0001 or active gt true",
        text => "emails.primary co true and \u0001",
        text => "\u0001 and meta.created sw \"2025\"",
        text => "userName eq 5 or \u0001",
        text => "active eq \"true\" and \u0001",
        text => "\u0001 and meta.created gt \"May 1\"",
        text => "userName gt null or \u0001",
        text => "name eq \"x\" and \u0001",
        text => "password eq \"x\" or \u0001",
        text => "\u0001 and emails[type eq \"work\"",
        text => "emails[nosuch eq \"x\"] or \u0001",
        text => "title[value eq \"x\"] and \u0001",
        text => "\u0001 and emails[type eq \"work\" and emails[value pr]]",
        text => "userName eqq \"x\" and \u0001",
        text => "\u0001 and userName \"x\"",
        text => "\u0001 \u0001",
        text => "groups.display eq \"x\" or \u0001",
        text => "meta.version eq \"W/1\" and \u0001",
        text => "\u0001 and userName eq \"unterminated",
        text => "\u0001 and userName eq \"\\u zz\"",
        text => "()",
        text => "\u0001 and and userName pr",
    ];
}

public sealed class SqliteFilterLanguageProperties(SqliteStoreEngine engine) : FilterLanguageProperties(engine), IClassFixture<SqliteStoreEngine>;

public sealed class PostgresFilterLanguageProperties(PostgresStoreEngine engine) : FilterLanguageProperties(engine), IClassFixture<PostgresStoreEngine>;
