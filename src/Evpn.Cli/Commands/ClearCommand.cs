using System.CommandLine;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl clear ...</c>: operator resets of state evpnd keeps until told otherwise, one subcommand per file.</summary>
public static class ClearCommand
{
    public static Command Create()
    {
        var command = new Command("clear", "Clear state evpnd keeps until an operator clears it");
        command.Subcommands.Add(ClearDuplicatesCommand.Create());
        return command;
    }
}
