using Xunit.Abstractions;

namespace Evpn.Interop.Tests.Harness;

/// <summary>Runs lab commands for one test and writes each command with its output to the test's output,
/// so a failing test shows what the lab did and what the peers said.</summary>
public sealed class Lab(ITestOutputHelper output)
{
    /// <summary>Bringing a topology up (namespaces, daemons, sessions Established) takes a few seconds on an idle machine
    /// and a minute or more on one that is busy. Every step of a topology script waits on evidence with a bound of its own
    /// (interop/lib/wait.sh) and names the step that did not happen; this outer bound only ends a script that hangs.</summary>
    public static readonly TimeSpan TopologyTimeout = TimeSpan.FromSeconds(300);

    /// <summary>A single query (vtysh, bridge, ip, ping) answers in well under this.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The lab records this process as the owner of its runs (once it is gone, a sweep removes them),
    /// and starts the evpnd built alongside these tests.</summary>
    private static readonly IReadOnlyDictionary<string, string> OwnerEnvironment = new Dictionary<string, string>
    {
        ["LAB_OWNER"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["EVPND_DLL"] = LabPaths.EvpndDll,
    };

    private readonly Dictionary<string, string> _environment = new(OwnerEnvironment);

    public void Log(string text) => output.WriteLine(text);

    /// <summary>One more variable for every lab command of this test (EVPND_INSTALLED=1: the installed package's evpnd).</summary>
    public void SetEnvironment(string name, string value) => _environment[name] = value;

    /// <summary>Runs a command; a non-zero exit is returned, not thrown.</summary>
    public async Task<CommandResult> TryRunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var result = await Shell.TryRunAsync(fileName, arguments, timeout, _environment);
        output.WriteLine(Trim(result.Transcript));
        return result;
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var result = await TryRunAsync(fileName, arguments, timeout);
        if (!result.Succeeded)
        {
            throw new CommandFailedException($"lab command failed:\n{result.Transcript}");
        }
        return result;
    }

    /// <summary>A command inside a node's namespace (interop/lab exec RUN NODE ...).</summary>
    public Task<CommandResult> ExecAsync(string run, string node, params string[] command) =>
        RunAsync(LabPaths.LabCli, ["exec", run, node, .. command], QueryTimeout);

    public Task<CommandResult> TryExecAsync(string run, string node, params string[] command) =>
        TryRunAsync(LabPaths.LabCli, ["exec", run, node, .. command], QueryTimeout);

    /// <summary>One vtysh command on a node running FRR.</summary>
    public async Task<string> VtyshAsync(string run, string node, string command) =>
        (await RunAsync(LabPaths.LabCli, ["vtysh", run, node, command], QueryTimeout)).StandardOutput;

    /// <summary>Test output keeps long JSON answers readable: the head is enough to see what went wrong.</summary>
    private static string Trim(string text) => text.Length <= 6000 ? text : text[..6000] + $"\n... ({text.Length - 6000} more characters)";
}
