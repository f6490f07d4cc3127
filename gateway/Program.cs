using IdentityDirectory.Gateway;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.GatewayHost;

return HostStart.Run(() =>
{
    // A gateway as its own process: an Orleans client of the cluster named in its settings (docs/operations.md).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? $"http://127.0.0.1:{builder.Configuration.GetValue("Port", 5000)}");
    builder.AddClusterClient();
    builder.AddDirectoryTelemetry();
    builder.Services.AddGateway();

    var app = builder.Build();
    app.MapGateway();
    app.MapMetricsEndpoint();
    app.MapGatewayHealthEndpoints();
    app.Run();
});
