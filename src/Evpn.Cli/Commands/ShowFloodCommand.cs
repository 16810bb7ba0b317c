using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show flood [--vni N] [--json]</c>: the remote VTEPs of each VNI's flood list, learned
/// from type-3 routes (RFC 8365 section 5.1.3, ingress replication).</summary>
public static class ShowFloodCommand
{
    public static Command Create()
    {
        var vni = ManagementCall.Vni("Only the flood list of this VNI");
        var json = ManagementCall.Json();
        var command = new Command("flood", "Flood lists: the remote VTEPs BUM traffic is replicated to, per VNI");
        command.Options.Add(vni);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<IReadOnlyList<FloodListEntry>>(client, ApiPaths.WithQuery(ApiPaths.Flood, ("vni", ManagementCall.Text(parse.GetValue(vni)))),
                parse.GetValue(json), Views.Flood, output, token)));
        return command;
    }
}
