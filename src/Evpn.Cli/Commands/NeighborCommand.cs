using System.CommandLine;
using Evpn.Api;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl neighbor ADDR|IFNAME shutdown|enable|clear [--soft] [--json]</c>: administrative shutdown with a
/// Cease (RFC 8203), enable again, reset the session, or with <c>--soft</c> ask the peer to re-send its routes
/// (route refresh, RFC 2918) without a reset.</summary>
public static class NeighborCommand
{
    public static Command Create()
    {
        var address = NeighborArgument.Create<string>("The neighbor's address, or the interface of an interface neighbor");
        var action = new Argument<string>("ACTION") { Description = "shutdown, enable or clear" };
        action.AcceptOnlyFromAmong("shutdown", "enable", "clear");
        var soft = new Option<bool>("--soft") { Description = "clear: request a route refresh instead of resetting the session" };
        soft.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<bool>() && result.Parent?.GetValue(action) is { } chosen && chosen != "clear")
            {
                result.AddError($"--soft goes with clear, not with {chosen}");
            }
        });
        var json = ManagementCall.Json();
        var command = new Command("neighbor", "Shut down, enable or clear a neighbor");
        command.Arguments.Add(address);
        command.Arguments.Add(action);
        command.Options.Add(soft);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, (client, output, token) =>
        {
            var path = ApiPaths.NeighborAction(parse.GetValue(address)!, parse.GetValue(action)!);
            return ManagementCall.ActAsync(client, parse.GetValue(soft) ? path + "?soft=true" : path, parse.GetValue(json), output, token);
        }));
        return command;
    }
}
