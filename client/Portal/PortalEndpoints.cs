using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityDirectory.Gateway.Portal;

public sealed record SignInRequest(string? UserName = null);

/// <summary>
/// The access portal at <c>/portal/{identityStoreId}</c> (I-10): sign-in, standing for an accepted
/// SAML assertion whose nameID is a userName (S-1), and session checks (S-2, S-5).
/// </summary>
public static class PortalEndpoints
{
    public static IEndpointRouteBuilder MapAccessPortal(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/portal/{identityStoreId}").AddEndpointFilter<ProblemFilter>();
        portal.MapPost("/sign-in", async (string identityStoreId, HttpRequest http, IGrainFactory grains) =>
            await AdminBody.ReadAsync<SignInRequest>(http) is { UserName: { } userName } && !string.IsNullOrWhiteSpace(userName)
                ? Results.Ok(await grains.Reference<IPortalGrain>(identityStoreId).SignInAsync(userName))
                : Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "userName is required."))
            .Accepts<SignInRequest>(AdminBody.ContentType);
        portal.MapGet("/sessions/{sessionId}", async (string identityStoreId, string sessionId, IGrainFactory grains) =>
            Results.Ok(await grains.Reference<IPortalGrain>(identityStoreId).GetSessionAsync(sessionId)));
        return app;
    }
}
