using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show macs [--vni N] [--json]</c>: local and remote MACs with VTEP, MAC mobility
/// sequence, sticky and duplicate flags, like FRR's <c>show evpn mac vni all</c>.</summary>
public static class ShowMacsCommand
{
    public static Command Create()
    {
        var vni = ManagementCall.Vni("Only MACs of this VNI");
        var json = ManagementCall.Json();
        var command = new Command("macs", "MACs: local or remote, VTEP, sequence, sticky, duplicate");
        command.Options.Add(vni);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<IReadOnlyList<MacAddressEntry>>(client, ApiPaths.WithQuery(ApiPaths.Macs, ("vni", ManagementCall.Text(parse.GetValue(vni)))),
                parse.GetValue(json), Views.Macs, output, token)));
        return command;
    }
}
