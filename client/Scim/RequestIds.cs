using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityDirectory.Gateway.Scim;

/// <summary>Every response carries <c>x-amzn-RequestId</c>; error bodies repeat it as exceptionRequestId (R-GEN-5).</summary>
public static class RequestIds
{
    public const string Header = "x-amzn-RequestId";
    private static readonly object ItemKey = new();

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string text ? text : Assign(context);

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        Assign(context);
        return next(context);
    });

    private static string Assign(HttpContext context)
    {
        var id = Guid.NewGuid().ToString();
        context.Items[ItemKey] = id;
        context.Response.Headers[Header] = id;
        return id;
    }
}
