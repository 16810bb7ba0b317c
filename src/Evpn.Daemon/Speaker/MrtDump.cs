using System.Buffers;
using System.Net;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Daemon.Speaker;

/// <summary>The optional MRT dump (`mrt-dump: FILE`, RFC 6396): every UPDATE received
/// (BGP4MP_MESSAGE_AS4) and sent (BGP4MP_MESSAGE_AS4_LOCAL), with microsecond timestamps (BGP4MP_ET),
/// so a session can be replayed and read later with `evpnctl decode FILE`.</summary>
/// <remarks>
///   Written on the speaker loop into a buffered file: a record usually lands in the buffer, and the
///   buffer goes to disk once a second (<see cref="Flush"/>) and at stop. Received UPDATEs are re-encoded
///   from the decoded value, which keeps the attribute order and flags as received.
/// </remarks>
public sealed class MrtDump : IDisposable
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _message = new(4096);
    private readonly ArrayBufferWriter<byte> _record = new(4096);

    private MrtDump(string path) =>
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);

    public static MrtDump? Open(string? path) => path is null ? null : new MrtDump(path);

    public void Received(BgpPeer peer, UpdateMessage update) => Write(peer, update, local: false);

    public void Sent(BgpPeer peer, UpdateMessage update) => Write(peer, update, local: true);

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    private void Write(BgpPeer peer, UpdateMessage update, bool local)
    {
        if (peer.Session is not { } session || peer.LocalEndPoint is not { } ours || peer.RemoteEndPoint is not { } theirs)
        {
            return;
        }
        _message.Clear();
        BgpEncoder.Encode(update, _message, session.Context);
        _record.Clear();
        MrtWriter.WriteMessageAs4(_record, DateTimeOffset.UtcNow, session.RemoteAs, session.LocalAs,
            Plain(theirs.Address), Plain(ours.Address), _message.WrittenSpan, local);
        _file.Write(_record.WrittenSpan);
    }

    /// <summary>A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; MRT wants both ends in one family.</summary>
    private static IpAddr Plain(IPAddress address) =>
        IpAddr.FromIPAddress(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
