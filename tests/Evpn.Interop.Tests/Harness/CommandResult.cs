namespace Evpn.Interop.Tests.Harness;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command and everything it printed, for test output and failure messages.</summary>
    public string Transcript =>
        $"$ {Command}\n(exit {ExitCode}, {Elapsed.TotalSeconds:F1} s)\n{StandardOutput}{(StandardError.Length > 0 ? "[stderr]\n" + StandardError : "")}";
}

/// <summary>A lab command failed or ran out of time; the message carries its transcript.</summary>
public sealed class LabCommandException(string message) : Exception(message);
