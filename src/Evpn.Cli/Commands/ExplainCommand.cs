using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;
using Evpn.Wire.Model;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl explain mac MAC [--vni N] [--json]</c>: every candidate route for a MAC, which one won
/// and why (MAC mobility rules of RFC 7432 section 15, then the BGP decision process), and what the data plane holds.
/// <c>evpnctl explain route [--mac M] [--rd RD] [--tag T] [--type 2|3] [--vni N] [--json]</c>: which VNI received
/// routes were imported into and why, or why into none (RFC 8365 sections 5.1.2, 5.1.3).</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var mac = new Argument<string>("MAC") { Description = "The MAC address, e.g. 00:11:22:33:44:55" };
        mac.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !MacAddress.TryParse(text, out _))
            {
                result.AddError($"MAC: '{text}' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
        });
        var vni = ManagementCall.Vni("Look in this VNI (default: the first VNI that knows the MAC)");
        var json = ManagementCall.Json();
        var macCommand = new Command("mac", "Why a MAC is where it is: candidates, winner, reason, kernel entries");
        macCommand.Arguments.Add(mac);
        macCommand.Options.Add(vni);
        macCommand.Options.Add(json);
        macCommand.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<ExplainDocument>(client,
                ApiPaths.WithQuery(ApiPaths.Explain, ("mac", parse.GetValue(mac)), ("vni", ManagementCall.Text(parse.GetValue(vni)))),
                parse.GetValue(json), Views.Explain, output, token)));
        var command = new Command("explain", "Explain evpnd's decisions");
        command.Subcommands.Add(macCommand);
        command.Subcommands.Add(RouteCommand());
        return command;
    }

    private static Command RouteCommand()
    {
        var mac = new Option<string?>("--mac") { Description = "Type-2 routes of this MAC" };
        mac.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !MacAddress.TryParse(text, out _))
            {
                result.AddError($"--mac: '{text}' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
        });
        var rd = new Option<string?>("--rd") { Description = "Routes with this route distinguisher (ASN:NN or A.B.C.D:NN)" };
        ManagementCall.ValidateRd(rd);
        var tag = new Option<uint?>("--tag") { Description = "Routes with this Ethernet Tag" };
        var type = new Option<string?>("--type") { Description = "Only this route type: 2 (MAC/IP advertisement) or 3 (inclusive multicast)" };
        type.AcceptOnlyFromAmong("2", "3");
        var vni = ManagementCall.Vni("Also say why not into this VNI");
        var json = ManagementCall.Json();
        var command = new Command("route", "Which VNI received routes were imported into and why, or why into none");
        foreach (var option in new Option[] { mac, rd, tag, type, vni, json })
        {
            command.Options.Add(option);
        }
        command.Validators.Add(result =>
        {
            if (result.GetValue(mac) is null && result.GetValue(rd) is null && result.GetValue(tag) is null && result.GetValue(type) is null)
            {
                result.AddError("name the route: --mac, --rd, --tag or --type");
            }
        });
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
            ManagementCall.ShowAsync<RouteExplainDocument>(client,
                ApiPaths.WithQuery(ApiPaths.ExplainRoute, ("mac", parse.GetValue(mac)), ("rd", parse.GetValue(rd)), ("tag", ManagementCall.Text(parse.GetValue(tag))),
                    ("type", parse.GetValue(type)), ("vni", ManagementCall.Text(parse.GetValue(vni)))),
                parse.GetValue(json), Views.ExplainRoute, output, token)));
        return command;
    }
}
