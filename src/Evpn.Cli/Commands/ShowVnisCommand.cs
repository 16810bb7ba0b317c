using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show vnis [--json]</c>: each VNI's RD, route targets, devices and counts, like FRR's <c>show evpn vni</c>.</summary>
public static class ShowVnisCommand
{
    public static Command Create()
    {
        var json = ManagementCall.Json();
        var command = new Command("vnis", "VNIs: state, RD, route targets, devices, MAC and VTEP counts");
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<IReadOnlyList<VniEntry>>(client, ApiPaths.Vnis, parse.GetValue(json), Views.Vnis, output, token)));
        return command;
    }
}
