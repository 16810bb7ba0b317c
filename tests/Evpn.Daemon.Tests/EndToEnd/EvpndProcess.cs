using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Evpn.Api;

namespace Evpn.Testing.EndToEnd;

/// <summary>The real evpnd binary (<c>dotnet evpnd.dll</c>) as a child process, its output kept for failure
/// messages. Dispose kills it if it is still running.</summary>
public sealed partial class EvpndProcess : IAsyncDisposable
{
    public const int SIGTERM = 15;
    public const int SIGHUP = 1;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private EvpndProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything evpnd wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>evpnd.dll of the same configuration as this test assembly: tests/X/bin/C/net10.0 next to src/Evpn.Daemon/bin/C/net10.0.</summary>
    public static string EvpndDll => BuiltBinary("Evpn.Daemon", "evpnd.dll");

    /// <summary>src/<paramref name="project"/>/bin/(this test's configuration)/(framework)/<paramref name="file"/>, or
    /// a clear failure when it was not built.</summary>
    public static string BuiltBinary(string project, string file)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent?.Name ?? "Release";
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", project, "bin", configuration, framework.Name, file));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{file} is not built at {path}: build src/{project} -c {configuration} first (dotnet build Evpn.sln -c {configuration})", path);
        }
        return path;
    }

    /// <summary>Starts <c>dotnet evpnd.dll</c> with <paramref name="arguments"/>.</summary>
    public static EvpndProcess Start(string name, params string[] arguments) => Start(name, "dotnet", [EvpndDll, .. arguments]);

    /// <summary>Starts evpnd as systemd starts a service whose output goes to the journal: standard output is
    /// <paramref name="journalFile"/> and JOURNAL_STREAM names that file's device and inode (systemd.exec(5)).
    /// Standard error stays with this process (<see cref="Output"/>).</summary>
    public static EvpndProcess StartUnderJournal(string name, string journalFile, params string[] arguments)
    {
        File.WriteAllText(journalFile, string.Empty);
        // The shell execs evpnd in place: the process this class watches is evpnd itself.
        const string Script = "export JOURNAL_STREAM=$(stat -c %d:%i \"$0\") && exec \"$@\" >>\"$0\"";
        return Start(name, "/bin/sh", ["-c", Script, journalFile, "dotnet", EvpndDll, .. arguments]);
    }

    private static EvpndProcess Start(string name, string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = start };
        var evpnd = new EvpndProcess(name, process);
        process.OutputDataReceived += (_, e) => evpnd.Append(e.Data);
        process.ErrorDataReceived += (_, e) => evpnd.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return evpnd;
    }

    /// <summary>Waits until evpnd answers on its management socket.</summary>
    public Task WaitForApiAsync(string socketPath) => Poll.UntilAsync(async () =>
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"evpnd {Name} exited with code {ExitCode}");
        }
        using var client = new ManagementClient(socketPath, TimeSpan.FromSeconds(5));
        await client.GetAsync<SummaryDocument>(ApiPaths.Summary);
        return true;
    }, $"evpnd {Name} to answer on {socketPath}", Describe);

    /// <summary>Sends a signal (SIGTERM to stop, SIGHUP to reload).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The exit code, or a failure when evpnd is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"evpnd {Name} still running after {timeout.TotalSeconds:0} s\n{Describe()}");
        }
        return _process.ExitCode;
    }

    public string Describe() => $"--- evpnd {Name} output ---\n{Output}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Append(line).Append('\n');
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
