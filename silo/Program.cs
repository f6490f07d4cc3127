using IdentityDirectory.Gateway;
using IdentityDirectory.Gateway.Admin;
using IdentityDirectory.Gateway.Portal;
using IdentityDirectory.Gateway.Scim;
using IdentityDirectory.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration.GetValue("Port", 5000)}");
builder.AddEmbeddedDirectory();
builder.Services.AddScimGateway();
builder.Services.AddHostedService<EmbeddedBootstrap>();

var app = builder.Build();
app.UseScimGateway();
app.MapScimGateway();
app.MapOperatorApi();
app.MapAccessPortal();
app.MapGet("/healthz", () => Results.Ok("ok"));
app.Run();

public partial class Program;
