using System.Diagnostics;
using System.Text;

namespace Evpn.Testing;

/// <summary>Runs a program for test setup and cross-checks (never for the code under test) with a time limit and
/// captures its output. A command that runs out of time is killed with its whole process tree: no test waits for
/// ever on a stuck tool.</summary>
public static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="file"/> and returns its standard output; throws when it exits non-zero.</summary>
    public static string Run(string file, params string[] arguments) => TryRun(file, arguments).EnsureSuccess();

    /// <summary>Runs <paramref name="file"/> and returns how it ended, whatever its exit code.</summary>
    public static CommandResult TryRun(string file, params string[] arguments)
    {
        using var running = new Running(file, arguments, null);
        if (!running.Process.WaitForExit(DefaultTimeout))
        {
            throw running.KillForTimeout(DefaultTimeout);
        }
        // The timed wait does not wait for the output streams to drain; this one does.
        running.Process.WaitForExit();
        return running.Result();
    }

    /// <inheritdoc cref="Run"/>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        (await TryRunAsync(file, arguments, timeout)).EnsureSuccess();

    /// <inheritdoc cref="TryRun"/>
    public static async Task<CommandResult> TryRunAsync(
        string file,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var running = new Running(file, arguments, environment);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            // Returns once the output streams have drained as well.
            await running.Process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw running.KillForTimeout(limit);
        }
        return running.Result();
    }

    /// <summary>Runs `ip -n NS ARGS...`; throws when it fails.</summary>
    public static string Ip(string ns, params string[] arguments) => Run("ip", ["-n", ns, .. arguments]);

    /// <summary>Runs `bridge -n NS ARGS...`; throws when it fails.</summary>
    public static string Bridge(string ns, params string[] arguments) => Run("bridge", ["-n", ns, .. arguments]);

    /// <summary>Whether <paramref name="program"/> is an executable file on PATH.</summary>
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>A started process whose output is being collected.</summary>
    private sealed class Running : IDisposable
    {
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly string _command;

        public Running(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
        {
            var info = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[key] = value;
            }
            _command = file + " " + string.Join(' ', info.ArgumentList.Select(Quote));
            Process = new Process { StartInfo = info };
            Process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
            Process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
            Process.Start();
            Process.StandardInput.Close();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public CommandResult Result() => new(_command, Process.ExitCode, Snapshot(_stdout), Snapshot(_stderr), _watch.Elapsed);

        public CommandFailedException KillForTimeout(TimeSpan limit)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            return new CommandFailedException(
                $"timed out after {limit.TotalSeconds:0.#} s and killed: {_command}\n{Snapshot(_stdout)}{Snapshot(_stderr)}");
        }

        public void Dispose() => Process.Dispose();

        private static void Append(StringBuilder sink, string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (sink)
            {
                sink.Append(line).Append('\n');
            }
        }

        private static string Snapshot(StringBuilder sink)
        {
            lock (sink)
            {
                return sink.ToString();
            }
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@,".Contains(c))
                ? argument
                : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
