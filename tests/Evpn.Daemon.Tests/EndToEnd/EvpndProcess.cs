using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Evpn.Api;

namespace Evpn.Testing.EndToEnd;

/// <summary>The real evpnd binary as a child process (the native binary named by EVPND_BIN, as tests/run-all.sh
/// sets it, else <c>dotnet evpnd.dll</c> of the development build), its output kept for failure messages. Dispose
/// kills it if it is still running.</summary>
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

    /// <summary>How a test runs one of the shipped binaries: the native binary the environment variable
    /// <paramref name="variable"/> names (EVPND_BIN, EVPNCTL_BIN: tests/run-all.sh sets them to the output of
    /// packaging/publish-native.sh), else <c>dotnet</c> with <paramref name="dll"/> of the development build. Output
    /// redirected.</summary>
    /// <param name="variable">null: the development build whatever the environment says.</param>
    public static ProcessStartInfo StartInfo(string? variable, string project, string dll)
    {
        var native = variable is null ? null : Environment.GetEnvironmentVariable(variable);
        ProcessStartInfo start;
        if (string.IsNullOrEmpty(native))
        {
            start = new ProcessStartInfo("dotnet");
            start.ArgumentList.Add(BuiltBinary(project, dll));
        }
        else if (File.Exists(native))
        {
            start = new ProcessStartInfo(native);
        }
        else
        {
            throw new FileNotFoundException($"{variable}={native}: no such binary (run packaging/publish-native.sh, or unset {variable} to test the development build)", native);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    /// <summary>Starts evpnd with <paramref name="arguments"/>.</summary>
    public static EvpndProcess Start(string name, params string[] arguments) => Start(name, new Dictionary<string, string>(), arguments);

    /// <summary>Starts evpnd with <paramref name="arguments"/> and these variables added to its environment.
    /// A startup hook (DOTNET_STARTUP_HOOKS, the loop-fault tests' way into a real process) needs the runtime host of
    /// the development build: a Native AOT binary has none, so such an evpnd is always the development build.</summary>
    public static EvpndProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start(name, StartInfo(environment.ContainsKey("DOTNET_STARTUP_HOOKS") ? null : "EVPND_BIN", "Evpn.Daemon", "evpnd.dll"), environment, arguments);

    /// <summary>Starts evpnd as systemd starts a service whose output goes to the journal: standard output is
    /// <paramref name="journalFile"/> and JOURNAL_STREAM names that file's device and inode (systemd.exec(5)).
    /// Standard error stays with this process (<see cref="Output"/>).</summary>
    public static EvpndProcess StartUnderJournal(string name, string journalFile, params string[] arguments)
    {
        File.WriteAllText(journalFile, string.Empty);
        var evpnd = StartInfo("EVPND_BIN", "Evpn.Daemon", "evpnd.dll");
        // The shell execs evpnd in place: the process this class watches is evpnd itself.
        var shell = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", "export JOURNAL_STREAM=$(stat -c %d:%i \"$0\") && exec \"$@\" >>\"$0\"", journalFile, evpnd.FileName, .. evpnd.ArgumentList])
        {
            shell.ArgumentList.Add(argument);
        }
        return Start(name, shell, new Dictionary<string, string>(), arguments);
    }

    private static EvpndProcess Start(string name, ProcessStartInfo start, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
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
    public Task WaitForApiAsync(string socketPath) => Eventually.UntilAsync(async () =>
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
