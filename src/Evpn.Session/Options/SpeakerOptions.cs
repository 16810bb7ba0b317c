using System.Collections.Immutable;
using System.Net;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Options;

/// <summary>What the whole speaker shares: identity, listener, dynamic neighbors, restart state.</summary>
public sealed record SpeakerOptions
{
    public required uint LocalAs { get; init; }

    /// <summary>The BGP identifier (RFC 4271 4.2, RFC 6286), as an IPv4 address.</summary>
    public required IPAddress RouterId { get; init; }

    /// <summary>Where to accept connections; null accepts none (active peers only). Port 179 by default.</summary>
    public IPEndPoint? ListenEndPoint { get; init; } = new(IPAddress.IPv6Any, 179);

    public ImmutableArray<DynamicNeighborRange> DynamicNeighbors { get; init; } = [];

    /// <summary>RFC 4724 restarting speaker: set when evpnd starts after a graceful stop within the restart time,
    /// or with the data plane still forwarding. OPENs carry the Restart State bit, families the Forwarding State bit, and the
    /// speaker reports <see cref="Speaker.SelectionDeferralEnded"/> once every GR peer sent End-of-RIB or
    /// <see cref="SelectionDeferralTime"/> passed.</summary>
    public bool Restarting { get; init; }

    /// <summary>Restarting: dynamic neighbors (of a listen range) that had a graceful-restart session when evpnd
    /// stopped. They are not configured, so without this the deferral would end once the neighbors that happened to
    /// connect first sent End-of-RIB, and the others' routes would be missing from what evpnd then sends.</summary>
    public ImmutableArray<PeerAddress> RestartingWith { get; init; } = [];

    /// <summary>RFC 4724 4.1: the forwarding state was preserved across the restart (F bit per family).</summary>
    public bool ForwardingPreserved { get; init; }

    public TimeSpan SelectionDeferralTime { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>Routes in the UPDATEs queued per peer before <see cref="Speaker.BgpSpeaker.TrySendUpdate"/> says no:
    /// two of the daemon's drain slices, so a peer that reads keeps its writer busy and one that does not holds
    /// little.</summary>
    public int WriteQueueCapacity { get; init; } = 16384;

    /// <summary>Messages from all read loops waiting for the speaker loop; read loops wait when it is full.</summary>
    public int InputQueueCapacity { get; init; } = 8192;

    /// <summary>The receiver's own checks of an UPDATE the codec found well-formed enough to use (what RFC 7606
    /// leaves to the receiver, such as which next hops make sense): an error with the action to take, or null.
    /// A pure function of the message, fixed when the speaker is built; its error is handled as a decode error
    /// is: counted, logged, a treat-as-withdraw UPDATE applied as withdrawals.</summary>
    public Func<UpdateMessage, BgpError?>? UpdateCheck { get; init; }

    public uint RouterIdValue => (uint)System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(RouterId.GetAddressBytes());
}

/// <summary>Dynamic neighbors: a connection from inside <see cref="Prefix"/>/<see cref="PrefixLength"/> is
/// accepted as a peer built from <see cref="Template"/> (its address replaced). When
/// <see cref="RemoteAsAny"/> is set, any AS is accepted (the peer's own becomes its remote AS). At most
/// <see cref="Limit"/> peers of the range exist at once; further connections are refused.</summary>
public sealed record DynamicNeighborRange(IpAddr Prefix, int PrefixLength, PeerOptions Template, bool RemoteAsAny = false, int Limit = 100)
{
    public bool Contains(PeerAddress peer)
    {
        var address = peer.Ip;
        if (address.IsV6 != Prefix.IsV6)
        {
            return false;
        }
        if (PrefixLength == 0)
        {
            return true;
        }
        return address.IsV6
            ? (address.V6Bits ^ Prefix.V6Bits) >> (128 - PrefixLength) == UInt128.Zero
            : (address.V4Bits ^ Prefix.V4Bits) >> (32 - PrefixLength) == 0;
    }
}
