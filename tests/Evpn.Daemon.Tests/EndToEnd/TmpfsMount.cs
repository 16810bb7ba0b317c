using System.Diagnostics;

namespace Evpn.Testing.EndToEnd;

/// <summary>A tmpfs of a given size mounted at a folder of the test's (needs root), so that a file on it runs out of
/// space for real (ENOSPC). Dispose unmounts it, lazily if something still holds it open.</summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(string path, string size)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path);
        return new TmpfsMount(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Run("umount", Path, check: false) != 0)
        {
            Run("umount", "-l", Path);
        }
    }

    private static int Run(string file, params string[] arguments) => Run(file, arguments, check: true);

    private static int Run(string file, string argument, bool check) => Run(file, [argument], check);

    private static int Run(string file, string[] arguments, bool check)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }
        return process.ExitCode;
    }
}
