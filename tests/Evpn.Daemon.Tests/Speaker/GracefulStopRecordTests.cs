using Evpn.Daemon.Speaker;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>A start is a restart only within the restart time of a graceful stop, and only once; the dynamic
/// neighbors of the stopped run are what the deferral waits for.</summary>
public sealed class GracefulStopRecordTests
{
    private static readonly DateTimeOffset StoppedAt = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan RestartTime = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_start_within_the_restart_time_is_a_restart_with_the_dynamic_neighbors_and_only_once()
    {
        using var folder = new TempFolder();
        var path = folder.File(GracefulStopRecord.FileName);
        PeerAddress[] peers = [PeerAddress.Parse("127.251.0.1"), PeerAddress.Parse("2001:db8::7"), PeerAddress.Parse("fe80::1%3")];

        GracefulStopRecord.Write(path, StoppedAt, [.. peers], NullLogger.Instance);
        var restartingWith = GracefulStopRecord.Take(path, StoppedAt.AddSeconds(30), RestartTime, NullLogger.Instance);

        Assert.Equal(peers, restartingWith);
        Assert.False(File.Exists(path));
        Assert.Null(GracefulStopRecord.Take(path, StoppedAt.AddSeconds(31), RestartTime, NullLogger.Instance));
    }

    [Fact]
    public void A_start_after_the_restart_time_is_a_fresh_start()
    {
        using var folder = new TempFolder();
        var path = folder.File(GracefulStopRecord.FileName);
        GracefulStopRecord.Write(path, StoppedAt, [], NullLogger.Instance);

        Assert.Null(GracefulStopRecord.Take(path, StoppedAt + RestartTime + TimeSpan.FromSeconds(1), RestartTime, NullLogger.Instance));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_damaged_record_loses_only_what_is_damaged()
    {
        using var folder = new TempFolder();
        var path = folder.File(GracefulStopRecord.FileName);

        File.WriteAllLines(path, ["1800000000", "127.251.0.1", "010.0.0.1", "not an address"]);
        Assert.Equal([PeerAddress.Parse("127.251.0.1")], GracefulStopRecord.Take(path, StoppedAt, RestartTime, NullLogger.Instance));

        File.WriteAllLines(path, ["yesterday", "127.251.0.1"]);
        Assert.Null(GracefulStopRecord.Take(path, StoppedAt, RestartTime, NullLogger.Instance));
        Assert.Null(GracefulStopRecord.Take(folder.File("absent"), StoppedAt, RestartTime, NullLogger.Instance));
    }
}
