using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;
using Evpn.Wire.Model;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl explain mac MAC [--vni N] [--json]</c>: every candidate route for a MAC, which one won
/// and why (MAC mobility rules of RFC 7432 section 15, then the BGP decision process), and what the data plane holds.</summary>
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
                ManagementCall.Query(ApiPaths.Explain, ("mac", parse.GetValue(mac)), ("vni", ManagementCall.Text(parse.GetValue(vni)))),
                parse.GetValue(json), Views.Explain, output, token)));
        var command = new Command("explain", "Explain evpnd's decisions");
        command.Subcommands.Add(macCommand);
        return command;
    }
}
