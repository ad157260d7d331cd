using Hyperion;
using Hyperion.Cli;

var console = CliConsole.FromSystemConsole();
var root = CliApplication.CreateRootCommand(console);
root.Subcommands.Single(c => c.Name == CliApplication.HostCommandName).Subcommands.Add(HostServeCommand.Create(console));
root.Subcommands.Single(c => c.Name == CliApplication.HostCommandName).Subcommands.Add(HostHaHeartbeatCommand.Create());
root.Subcommands.Add(CenterServeCommand.CreateCenterCommand(console));
root.Subcommands.Add(LabCommand.Create(console));
return await CliApplication.InvokeAsync(root, args, console, CancellationToken.None);
