using System.Diagnostics;

namespace Evpn.Testing;

/// <summary>A program a test leaves running beside it (a monitor, a capture), its output lines collected as they come.
/// Killed with its process tree on dispose, even after a failure.</summary>
public sealed class BackgroundCommand : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];

    public BackgroundCommand(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        _process.OutputDataReceived += (_, e) => Collect(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(_errors, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>The lines of standard output so far.</summary>
    public IReadOnlyList<string> Output => Snapshot(_output);

    /// <summary>The lines of standard error so far.</summary>
    public IReadOnlyList<string> Errors => Snapshot(_errors);

    /// <summary>Waits for the program to end (and its output to drain) for at most <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private static void Collect(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (lines)
        {
            lines.Add(line);
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
