using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show summary [--json]</c>: one line per neighbor, like FRR's <c>show bgp l2vpn evpn summary</c>.</summary>
public static class ShowSummaryCommand
{
    public static Command Create()
    {
        var json = ManagementCall.Json();
        var command = new Command("summary", "One line per neighbor: state, uptime, messages and prefixes");
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<SummaryDocument>(client, ApiPaths.Summary, parse.GetValue(json), Views.Summary, output, token)));
        return command;
    }
}
