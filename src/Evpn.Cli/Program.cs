using System.CommandLine;
using Evpn.Cli.Commands;

// evpnctl: one System.CommandLine subcommand per file under Commands/; add new ones to this list.
var root = new RootCommand("evpnctl: inspect and control evpnd, and decode BGP messages");
root.Subcommands.Add(DecodeCommand.Create());
return root.Parse(args).Invoke();
