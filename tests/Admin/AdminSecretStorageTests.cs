using System.Net;
using System.Text;
using IdentityDirectory.Tests.Infrastructure;

namespace IdentityDirectory.Tests.Admin;

/// <summary>Secrets are stored only as salted hashes (T-2, O-1): read the SQLite file itself.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminSecretStorageTests(AdminFixture fixture)
{
    [Fact]
    public async Task NoTableHoldsATokenSecretOrTheOperatorKey()
    {
        // Rule T-2 / R-TOK-1: only a salted hash of a token is stored. Rule O-1: the operator key likewise.
        var (tenantId, endpoint, t1) = await fixture.Admin.CreateProvisionedTenantAsync();
        var t2 = await fixture.Admin.CreateTokenAsync(tenantId);
        foreach (var token in new[] { t1, t2 })
        {
            using var scim = ScimHttp.ScimClient(endpoint, token);
            await scim.CreateUserAsync();
            await (await scim.GetAsync("Users")).ExpectAsync(HttpStatusCode.OK);
        }
        await fixture.Admin.ListTokensAsync(tenantId);

        var secrets = new Dictionary<string, string>
        {
            ["secret of token 1"] = AdminApi.Secret(t1),
            ["secret of token 2"] = AdminApi.Secret(t2),
            ["operator key"] = fixture.OperatorKey,
        };
        var needles = secrets.SelectMany(s => new[]
        {
            (s.Key + " (UTF-8)", Encoding.UTF8.GetBytes(s.Value)),
            (s.Key + " (UTF-16)", Encoding.Unicode.GetBytes(s.Value)),
            (s.Key + " (base64 of UTF-8)", Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(s.Value)))),
        }).ToList();

        using var db = fixture.OpenDatabaseReadOnly();
        var tables = new List<string>();
        using (var list = db.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }
        Assert.Contains("orleans_grain_state", tables);

        var found = new List<string>();
        long valuesScanned = 0;
        foreach (var table in tables)
        {
            using var select = db.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"")}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    if (reader.IsDBNull(column))
                        continue;
                    var value = reader.GetValue(column);
                    var bytes = value switch
                    {
                        byte[] blob => blob,
                        string text => Encoding.UTF8.GetBytes(text),
                        _ => null,
                    };
                    if (bytes is null)
                        continue;
                    valuesScanned++;
                    foreach (var (name, needle) in needles)
                    {
                        if (bytes.AsSpan().IndexOf(needle) >= 0)
                            found.Add($"{name} in {table}.{reader.GetName(column)}");
                    }
                }
            }
        }

        Assert.True(valuesScanned > 0);
        Assert.Empty(found);
    }
}
