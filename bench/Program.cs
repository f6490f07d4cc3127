using IdentityDirectory.Bench;

return args.FirstOrDefault() switch
{
    "scale" => await ScaleCommand.RunAsync(args),
    "first201" => await ColdStartCommand.RunAsync(args),
    "source-change" => await SourceChangeCommand.RunAsync(args),
    "console" => await ConsoleCommand.RunAsync(args),
    "store" => await StoreCommand.RunAsync(args),
    _ => await BenchCommand.RunAsync(args),
};
