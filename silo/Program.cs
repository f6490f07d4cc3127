using IdentityDirectory.Gateway;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Gateway.Portal;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Silo.Hosting;

// Settings (appsettings.json) come from beside the binary wherever it is started from; data paths stay relative to where it runs.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration.GetValue("Port", 5000)}");
builder.AddEmbeddedDirectory();
builder.AddDirectoryTelemetry();
builder.Services.AddScimGateway();
builder.Services.AddHealthEndpoints();
builder.Services.AddHostedService<EmbeddedBootstrap>();

var app = builder.Build();
app.MapOperatorDashboard();
app.UseScimGateway();
app.MapScimGateway();
app.MapOperatorApi();
app.MapAccessPortal();
app.MapHealthEndpoints();
app.Run();

public partial class Program;
