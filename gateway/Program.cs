using IdentityDirectory.Gateway;
using IdentityDirectory.Gateway.Console;
using IdentityDirectory.Gateway.Hosting;
using IdentityDirectory.GatewayHost;

// A gateway as its own process: an Orleans client of the cluster named in its settings (docs/operations.md).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? $"http://127.0.0.1:{builder.Configuration.GetValue("Port", 5000)}");
builder.AddClusterClient();
builder.AddDirectoryTelemetry();
builder.Services.AddScimGateway();
builder.Services.AddOperatorConsole();
builder.Services.AddHostedService<FirstStart>();

var app = builder.Build();
app.MapGateway();
app.MapOperatorConsole();
app.MapMetricsEndpoint();
app.MapGatewayHealthEndpoints();
app.Run();
