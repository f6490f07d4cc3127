using IdentityDirectory.Bench;

return await BenchCommand.RunAsync(args);
