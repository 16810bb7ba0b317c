using System.CommandLine;
using Evpn.Cli.Commands;

namespace Evpn.Testing.EndToEnd;

/// <summary>evpnctl in this process: the command tree of src/Evpn.Cli/Program.cs, invoked with its output
/// and error captured. (Tests that need the real binary start it with <see cref="RunProcessAsync"/>.)</summary>
public static class Evpnctl
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}--- stderr ---\n{Error}";
    }

    /// <summary>The same commands as Program.cs.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("evpnctl");
        root.Options.Add(ManagementCall.Socket);
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ReloadCommand.Create());
        root.Subcommands.Add(NeighborCommand.Create());
        root.Subcommands.Add(ClearCommand.Create());
        return root;
    }

    public static async Task<Result> RunAsync(string socketPath, params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CreateRoot().Parse(["--socket", socketPath, .. arguments])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>The evpnctl binary as a process (EVPNCTL_BIN, else the development build: see <see cref="EvpndProcess.StartInfo"/>).</summary>
    public static async Task<Result> RunProcessAsync(params string[] arguments)
    {
        var start = EvpndProcess.StartInfo("EVPNCTL_BIN", "Evpn.Cli", "evpnctl.dll");
        var ran = await Shell.TryRunAsync(start.FileName, [.. start.ArgumentList, .. arguments], Eventually.Deadline);
        return new Result(ran.ExitCode, ran.StandardOutput, ran.StandardError);
    }
}
