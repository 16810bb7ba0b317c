using System.Globalization;
using System.Runtime.InteropServices;

namespace Evpn.Daemon.Hosting;

/// <summary>Whether standard output is the journal's stream: systemd sets JOURNAL_STREAM to "device:inode" of
/// the stream it connected, and sd-daemon(3) says to compare that with the output's fstat(2), since the variable
/// is inherited by children whose output goes elsewhere (a shell started from the service, a redirect).</summary>
public static partial class JournalStream
{
    public static bool IsStandardOutput() =>
        Parse(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) is { } stream && Identity(1) is { } output && stream == output;

    /// <summary>"device:inode" in decimal, as systemd writes it; null when absent or malformed.</summary>
    public static (ulong Device, ulong Inode)? Parse(string? value)
    {
        var colon = value?.IndexOf(':') ?? -1;
        return colon > 0
            && ulong.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            && ulong.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                ? (device, inode)
                : null;
    }

    /// <summary>st_dev and st_ino of an open descriptor: the first two 64-bit fields of struct stat on x86-64
    /// and on the generic layout (arm64).</summary>
    private static unsafe (ulong Device, ulong Inode)? Identity(int descriptor)
    {
        var stat = stackalloc ulong[32];
        return FStat(descriptor, stat) == 0 ? (stat[0], stat[1]) : null;
    }

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int FStat(int descriptor, ulong* stat);
}
