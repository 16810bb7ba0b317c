using System.CommandLine;
using System.Text.Json;
using Evpn.Api;
using Evpn.Cli.Management;
using Evpn.Wire.Model;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl clear duplicates [--vni N] [--mac M] [--json]</c>: releases MACs marked duplicate (RFC 7432
/// section 15.1), like FRR's <c>clear evpn dup-addr vni &lt;N|all&gt; [mac M]</c>: a frozen MAC is installed and advertised
/// again, the move count starts afresh. Nothing duplicate to clear is not an error (exit 0, "nothing cleared").</summary>
public static class ClearDuplicatesCommand
{
    public static Command Create()
    {
        var vni = ManagementCall.Vni("Only duplicates of this VNI (default: every VNI)");
        var mac = new Option<string?>("--mac") { Description = "Only this MAC, e.g. 00:11:22:33:44:55 (default: every duplicate MAC)" };
        mac.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !MacAddress.TryParse(text, out _))
            {
                result.AddError($"--mac: '{text}' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
        });
        var json = ManagementCall.Json();
        var command = new Command("duplicates", "Release MACs marked duplicate: served and advertised again, moves counted afresh");
        command.Options.Add(vni);
        command.Options.Add(mac);
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, async (client, output, token) =>
        {
            var cleared = await client.ClearDuplicatesAsync(parse.GetValue(vni), parse.GetValue(mac), token).ConfigureAwait(false);
            await output.WriteAsync(parse.GetValue(json) ? JsonSerializer.Serialize(cleared, ApiJsonContext.Default.ClearDuplicatesDocument) + "\n" : Views.ClearedDuplicates(cleared))
                .ConfigureAwait(false);
            return ManagementCall.Ok;
        }));
        return command;
    }
}
