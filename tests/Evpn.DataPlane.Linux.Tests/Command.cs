using System.Diagnostics;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Runs iproute2 for test setup and cross-checks (never for the code under test).</summary>
internal static class Command
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Run(string file, params string[] arguments)
    {
        var (code, output, error) = TryRun(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {error}");
        }
        return output;
    }

    public static (int Code, string Output, string Error) TryRun(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {Timeout}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs `ip -n NS ARGS...`.</summary>
    public static string Ip(string ns, params string[] arguments) => Run("ip", ["-n", ns, .. arguments]);

    /// <summary>Runs `bridge -n NS ARGS...`.</summary>
    public static string Bridge(string ns, params string[] arguments) => Run("bridge", ["-n", ns, .. arguments]);
}
