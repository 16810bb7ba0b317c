using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl show routes [--type 2|3] [--vni N] [--rd RD] [--json]</c>: the EVPN routes evpnd holds,
/// local and received, like FRR's <c>show bgp l2vpn evpn</c>.</summary>
public static class ShowRoutesCommand
{
    public static Command Create()
    {
        var type = new Option<string?>("--type") { Description = "Only this route type: 2 (MAC/IP advertisement) or 3 (inclusive multicast)" };
        type.AcceptOnlyFromAmong("2", "3");
        var vni = ManagementCall.Vni("Only routes of this VNI");
        var rd = new Option<string?>("--rd") { Description = "Only routes with this route distinguisher (ASN:NN or A.B.C.D:NN)" };
        ManagementCall.ValidateRd(rd);
        var json = ManagementCall.Json();
        var command = new Command("routes", "EVPN routes: network, next hop, VNI, best marker, extended communities");
        command.Options.Add(type);
        command.Options.Add(vni);
        command.Options.Add(rd);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
        {
            var path = ApiPaths.WithQuery(ApiPaths.Routes, ("type", parse.GetValue(type)), ("vni", ManagementCall.Text(parse.GetValue(vni))), ("rd", parse.GetValue(rd)));
            return ManagementCall.ShowAsync<IReadOnlyList<RouteEntry>>(client, path, parse.GetValue(json), Views.Routes, output, token);
        }));
        return command;
    }
}
