using System.CommandLine;
using Evpn.Api;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl reload [--json]</c>: evpnd re-reads its configuration file (as on SIGHUP). A file with
/// errors changes nothing; the answer lists them with line:column. Exit code 1 when the reload was refused.</summary>
public static class ReloadCommand
{
    public static Command Create()
    {
        var json = ManagementCall.Json();
        var command = new Command("reload", "Re-read evpnd's configuration file; sessions the change does not touch stay up");
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ActAsync(client, ApiPaths.Reload, parse.GetValue(json), output, token)));
        return command;
    }
}
