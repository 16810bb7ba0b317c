using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl audit [--json]</c>: compares what evpnd intends with what the data plane holds. Exit code
/// 0 when they agree, 1 when they differ, so that a monitoring script needs no parsing.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var json = ManagementCall.Json();
        var command = new Command("audit", "Compare evpnd's intended FDB, flood and neighbor entries with the data plane (exit 1 on differences)");
        command.Options.Add(json);
        command.SetAction((parse, ct) => ManagementCall.RunAsync(parse, ct, async (client, output, token) =>
        {
            var audit = await client.GetAsync<AuditDocument>(ApiPaths.Audit, token).ConfigureAwait(false);
            await output.WriteAsync(parse.GetValue(json)
                ? System.Text.Json.JsonSerializer.Serialize(audit, ApiJsonContext.Default.AuditDocument) + "\n"
                : Views.Audit(audit)).ConfigureAwait(false);
            return audit.InSync ? ManagementCall.Ok : ManagementCall.Failed;
        }));
        return command;
    }
}
