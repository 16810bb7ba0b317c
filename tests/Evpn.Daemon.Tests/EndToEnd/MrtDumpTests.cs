using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>`mrt-dump: FILE`: the UPDATEs of a session, both ways, as RFC 6396 BGP4MP records that the
/// codec reads back (what `evpnctl decode FILE` does).</summary>
[Collection(EvpndCollection.Name)]
public sealed class MrtDumpTests
{
    [Fact]
    public async Task The_dump_holds_the_updates_received_and_sent_and_decodes_cleanly()
    {
        await using var pair = await DaemonPair.StartAsync(mrtDumpA: true);
        var (a, b) = (pair.A, pair.B);
        pair.ProcessA!.Signal(EvpndProcess.SIGTERM);
        Assert.Equal(0, await pair.ProcessA.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var entries = Read(File.ReadAllBytes(a.MrtDump!));

        Assert.All(entries, e =>
        {
            Assert.Equal(IpAddr.Parse(b.Address), e.PeerIp);
            Assert.Equal(IpAddr.Parse(a.Address), e.LocalIp);
            Assert.Equal(b.Asn, e.PeerAs);
            Assert.Equal(a.Asn, e.LocalAs);
        });
        var received = Updates(entries.Where(e => !e.Local));
        var sent = Updates(entries.Where(e => e.Local));
        Assert.Equal([100u, 200u], Type3Vnis(received, b.Address));
        Assert.Equal([100u, 200u], Type3Vnis(sent, a.Address));
        Assert.Contains(received, u => u.IsEndOfRib(out var family) && family == AfiSafi.L2vpnEvpn);
        Assert.Contains(sent, u => u.IsEndOfRib(out var family) && family == AfiSafi.L2vpnEvpn);
    }

    /// <summary>A reload that names a dump begins it; one that names another file ends the first, whose records
    /// stop at the reload.</summary>
    [Fact]
    public async Task A_reload_begins_a_dump_and_another_moves_it_to_a_new_file()
    {
        await using var pair = await DaemonPair.StartAsync();
        var (first, second) = (Path.Combine(pair.Folder, "first.mrt"), Path.Combine(pair.Folder, "second.mrt"));

        pair.Rewrite(pair.A with { MrtDump = first, Vnis = [100, 200, 300] });
        Assert.True((await Evpnctl.RunAsync(pair.A.SocketPath, "reload")).ExitCode == 0);
        await Poll.UntilAsync(() => Task.FromResult(SentType3Vnis(first, pair.A.Address).Contains(300u)),
            "the first dump to hold the type-3 of VNI 300 sent after the reload", pair.Describe);

        pair.Rewrite(pair.A with { MrtDump = second, Vnis = [100, 200, 300, 400] });
        Assert.True((await Evpnctl.RunAsync(pair.A.SocketPath, "reload")).ExitCode == 0);
        await Poll.UntilAsync(() => Task.FromResult(SentType3Vnis(second, pair.A.Address).Contains(400u)),
            "the second dump to hold the type-3 of VNI 400", pair.Describe);

        Assert.Equal([300u], SentType3Vnis(first, pair.A.Address));
    }

    private static uint[] SentType3Vnis(string file, string originator) =>
        File.Exists(file) && new FileInfo(file).Length > 0
            ? Type3Vnis(Updates(Read(File.ReadAllBytes(file)).Where(e => e.Local)), originator)
            : [];

    /// <summary>Every record of a dump file, each whole (a half-written one fails the test).</summary>
    internal static List<Bgp4MpEntry> Read(byte[] file)
    {
        var entries = new List<Bgp4MpEntry>();
        var offset = 0;
        while (offset < file.Length)
        {
            var status = MrtReader.TryRead(file.AsSpan(offset), out var record, out var consumed, out var error);
            Assert.True(status == MrtReadStatus.Record, $"record at offset {offset}: {status} {error}");
            entries.Add(record!.Bgp4Mp!);
            offset += consumed;
        }
        Assert.NotEmpty(entries);
        return entries;
    }

    private static List<UpdateMessage> Updates(IEnumerable<Bgp4MpEntry> entries) => entries.Select(e =>
    {
        var result = BgpDecoder.Decode(e.Message.AsSpan(), e.DecodeContext);
        Assert.Empty(result.Errors);
        return Assert.IsType<UpdateMessage>(result.Message);
    }).ToList();

    private static uint[] Type3Vnis(IEnumerable<UpdateMessage> updates, string originator) => updates
        .Where(u => u.MpReach is not null)
        .SelectMany(u => u.MpReach!.Nlri.Select(n => (n.Evpn, u.Attributes)))
        .Where(x => x.Evpn is InclusiveMulticastRoute r && r.OriginatorIp == IpAddr.Parse(originator))
        .Select(x => EvpnLabel.ToVni(x.Attributes.PmsiTunnel!.Label))
        .Order()
        .ToArray();
}
