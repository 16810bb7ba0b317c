using System.Collections.Immutable;
using System.Globalization;
using Evpn.Config.Options;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>What a graceful stop leaves for the next start: when evpnd stopped, and the dynamic neighbors (listen
/// ranges) that had graceful-restart sessions then. Peers keep our routes for the restart time after a silent close
/// (RFC 4724 section 4.2); a start within that time is a restart (Restart State bit, selection deferral, section
/// 4.1) even with nothing in the kernel to adopt, which is a route reflector's case, and it waits for those dynamic
/// neighbors' End-of-RIB too. Kept next to the management socket, in evpnd's runtime folder.</summary>
/// <remarks>The file holds the stop time (Unix seconds) on its first line and one neighbor address per line after it.
/// It is read once and removed at start: a second start is not a restart of the first stop.</remarks>
public static class GracefulStopRecord
{
    public const string FileName = "graceful-stop";

    public static string PathFor(EvpnConfig config) =>
        Path.Combine(Path.GetDirectoryName(config.Management.SocketPath) ?? "/", FileName);

    /// <summary>Writes the record; a failure is logged and costs only the next start's deferral.</summary>
    public static void Write(string path, DateTimeOffset stoppedAt, ImmutableArray<PeerAddress> dynamicPeers, ILogger log)
    {
        try
        {
            var lines = dynamicPeers.Select(p => p.ToString()).Prepend(stoppedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            var temporary = path + ".new";
            File.WriteAllLines(temporary, lines);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("graceful stop: cannot write {Path} ({Error}); the next start will not defer route selection for dynamic neighbors",
                path, e.Message);
        }
    }

    /// <summary>Reads and removes the record. A start is a restart when the record is younger than
    /// <paramref name="restartTime"/> (peers still hold our routes); it then returns the dynamic neighbors to wait for.
    /// Null when there is no record, it is too old, or it cannot be read (logged).</summary>
    public static ImmutableArray<PeerAddress>? Take(string path, DateTimeOffset now, TimeSpan restartTime, ILogger log)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
            File.Delete(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("graceful stop record {Path} cannot be read ({Error}): starting as a fresh start", path, e.Message);
            return null;
        }
        if (lines.Length == 0 || !long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            log.LogWarning("graceful stop record {Path} has no stop time: starting as a fresh start", path);
            return null;
        }
        var stoppedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (now - stoppedAt > restartTime)
        {
            log.LogInformation("stopped gracefully at {Stopped:u}, longer ago than the restart time {RestartTime}: a fresh start", stoppedAt, restartTime);
            return null;
        }
        var peers = ImmutableArray.CreateBuilder<PeerAddress>();
        foreach (var line in lines.Skip(1))
        {
            if (PeerAddress.TryParse(line, out var peer))
            {
                peers.Add(peer);
            }
            else
            {
                log.LogWarning("graceful stop record {Path}: '{Line}' is not a neighbor address; skipped", path, line);
            }
        }
        return peers.ToImmutable();
    }
}
