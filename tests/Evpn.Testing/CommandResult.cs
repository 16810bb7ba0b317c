namespace Evpn.Testing;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard output then standard error, for a test that looks for text in either.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>The command and everything it printed, for test output and failure messages.</summary>
    public string Transcript =>
        $"$ {Command}\n(exit {ExitCode}, {Elapsed.TotalSeconds:F1} s)\n{StandardOutput}{(StandardError.Length > 0 ? "[stderr]\n" + StandardError : "")}";

    /// <summary>The standard output of a command that succeeded; a <see cref="CommandFailedException"/> with the transcript otherwise.</summary>
    public string EnsureSuccess() => Succeeded ? StandardOutput : throw new CommandFailedException($"command failed:\n{Transcript}");
}

/// <summary>A command failed or ran out of time; the message carries its transcript.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
