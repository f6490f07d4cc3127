using System.Text.Json.Nodes;
using IdentityDirectory.Gateway.Scim;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace IdentityDirectory.Tests.Hosting;

/// <summary>
/// A gateway apart from the silos gives up on a call that a dying silo held (its response timeout, docs/operations.md
/// "Failover"): the SCIM client is told to retry, with the SCIM error body, never a 500 (DESIGN §4, R-GEN-8).
/// </summary>
public sealed class ClusterFailureAnswerTests
{
    public static TheoryData<Exception> ClusterFailures() =>
    [
        new TimeoutException("Response did not arrive on time in 00:00:03"),
        new SiloUnavailableException("The target silo became unavailable"),
    ];

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public async Task ACallTheClusterDidNotAnswerIsA503ToRetryWithTheScimErrorBody(Exception failure)
    {
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var filter = new ScimErrorFilter(NullLogger<ScimErrorFilter>.Instance);

        var result = await filter.InvokeAsync(EndpointFilterInvocationContext.Create(http), _ => throw failure);
        await ((IResult)result!).ExecuteAsync(http);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
        var body = JsonNode.Parse(((MemoryStream)http.Response.Body).ToArray())!;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body["schemas"]![0]!.GetValue<string>());
        Assert.Equal("503", body["status"]!.GetValue<string>());
    }
}
