using System.CommandLine;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show ...</c>: the read-only views of evpnd's state, one subcommand per file.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var command = new Command("show", "Show evpnd's sessions, routes, VNIs, MACs and flood lists");
        command.Subcommands.Add(ShowSummaryCommand.Create());
        command.Subcommands.Add(ShowNeighborsCommand.Create());
        command.Subcommands.Add(ShowRoutesCommand.Create());
        command.Subcommands.Add(ShowVnisCommand.Create());
        command.Subcommands.Add(ShowMacsCommand.Create());
        command.Subcommands.Add(ShowFloodCommand.Create());
        return command;
    }
}
