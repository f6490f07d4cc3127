using IdentityDirectory.Gateway;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.Silo.Hosting;

return HostStart.Run(() =>
{
    // Settings (appsettings.json) come from beside the binary wherever it is started from; data paths stay relative to where it runs.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? $"http://127.0.0.1:{builder.Configuration.GetValue("Port", 5000)}");
    var hostsGateway = SiloRole.HostsGateway(builder.Configuration);
    builder.AddDirectorySilo();
    builder.AddDirectoryTelemetry();
    builder.Services.AddHealthEndpoints();
    builder.Services.AddClusterKeyRing();
    if (hostsGateway)
        builder.Services.AddGateway();

    var app = builder.Build();
    if (hostsGateway)
        app.MapGateway();
    app.MapOperatorDashboard();
    app.MapMetricsEndpoint();
    app.MapHealthEndpoints();
    app.Run();
});

public partial class Program;
