using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show neighbors [ADDR|IFNAME] [--json]</c>: state, uptime, capabilities, families, counters and
/// the last error and NOTIFICATIONs of every neighbor, or of one.</summary>
public static class ShowNeighborsCommand
{
    public static Command Create()
    {
        var address = NeighborArgument.Create<string?>("Only this neighbor (address or interface)", ArgumentArity.ZeroOrOne);
        var json = ManagementCall.Json();
        var command = new Command("neighbors", "Neighbor details: state, capabilities, families, counters, last NOTIFICATIONs");
        command.Arguments.Add(address);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            parse.GetValue(address) is { } one
                ? ManagementCall.ShowAsync<NeighborDetail>(client, ApiPaths.Neighbor(one), parse.GetValue(json), n => Views.Neighbors([n]), output, token)
                : ManagementCall.ShowAsync<IReadOnlyList<NeighborDetail>>(client, ApiPaths.Neighbors, parse.GetValue(json), Views.Neighbors, output, token)));
        return command;
    }
}
