using System.CommandLine;
using Evpn.Cli.Commands;

// evpnctl: one System.CommandLine subcommand per file under Commands/; add new ones to this list.
var root = new RootCommand("evpnctl: inspect and control evpnd, and decode BGP messages");
root.Options.Add(ManagementCall.Socket);
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(ReloadCommand.Create());
root.Subcommands.Add(NeighborCommand.Create());
root.Subcommands.Add(ClearCommand.Create());
VersionAction.Install(root);
return root.Parse(args).Invoke();
