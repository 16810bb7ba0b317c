using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>What a session negotiated that changes how bytes are read and written: the same UPDATE
/// decodes differently with and without 4-octet AS or add-path. Used by the decoder and the encoder.</summary>
public sealed record DecodeContext
{
    /// <summary>Before OPEN is exchanged: 2-octet AS, no add-path, 4096-octet messages.</summary>
    public static readonly DecodeContext Default = new();

    /// <summary>What most sessions with modern speakers negotiate: 4-octet AS, nothing else.</summary>
    public static readonly DecodeContext FourOctetAs = new() { FourOctetAsn = true };

    /// <summary>RFC 6793: AS numbers in AS_PATH and AGGREGATOR are 4 octets.</summary>
    public bool FourOctetAsn { get; init; }

    /// <summary>RFC 8654: messages other than OPEN and KEEPALIVE may be up to 65535 octets.</summary>
    public bool ExtendedMessage { get; init; }

    /// <summary>RFC 7911: families whose received NLRI carry a path identifier.</summary>
    public EquatableArray<AfiSafi> AddPathReceive { get; init; } = EquatableArray<AfiSafi>.Empty;

    /// <summary>RFC 7911: families whose sent NLRI carry a path identifier.</summary>
    public EquatableArray<AfiSafi> AddPathSend { get; init; } = EquatableArray<AfiSafi>.Empty;

    /// <summary>The peer is in another AS (RFC 7606 section 7.5: LOCAL_PREF from it is discarded; sections 7.9
    /// and 7.10: so are ORIGINATOR_ID and CLUSTER_LIST; RFC 5065 section 5.3: no confederation segments).</summary>
    public bool ExternalPeer { get; init; }

    /// <summary>The AS the peer announced in its OPEN (the 4-octet one when both sides negotiated 4-octet AS):
    /// the first AS of what an external peer sends (RFC 4271 section 6.3).</summary>
    public uint PeerAsn { get; init; }

    /// <summary>What the operator configured for UPDATEs from this peer.</summary>
    public ReceivePolicy Policy { get; init; } = ReceivePolicy.Default;

    public int MaxMessageLength => ExtendedMessage ? BgpFraming.ExtendedMaxMessageLength : BgpFraming.MaxMessageLength;

    public bool ReceivesPathId(AfiSafi family) => Contains(AddPathReceive, family);
    public bool SendsPathId(AfiSafi family) => Contains(AddPathSend, family);

    /// <summary>The context of a session that sent <paramref name="local"/> and received <paramref name="remote"/>:
    /// each feature is on when both sides announced it (RFC 6793 section 4, RFC 8654 section 3,
    /// RFC 7911 section 5: we receive path identifiers for a family when we said receive and the peer said send).
    /// <paramref name="policy"/> is what the operator configured for the peer's UPDATEs.</summary>
    public static DecodeContext Negotiate(OpenMessage local, OpenMessage remote, ReceivePolicy? policy = null)
    {
        var localAddPath = local.Find<AddPathCapability>();
        var remoteAddPath = remote.Find<AddPathCapability>();
        var receive = ImmutableArray.CreateBuilder<AfiSafi>();
        var send = ImmutableArray.CreateBuilder<AfiSafi>();
        if (localAddPath is not null && remoteAddPath is not null)
        {
            foreach (var f in localAddPath.Families)
            {
                var theirs = remoteAddPath.DirectionFor(f.Family);
                if (f.Direction.HasFlag(AddPathDirection.Receive) && theirs.HasFlag(AddPathDirection.Send))
                {
                    receive.Add(f.Family);
                }
                if (f.Direction.HasFlag(AddPathDirection.Send) && theirs.HasFlag(AddPathDirection.Receive))
                {
                    send.Add(f.Family);
                }
            }
        }
        var fourOctetAsn = local.Supports(CapabilityCode.FourOctetAs) && remote.Supports(CapabilityCode.FourOctetAs);
        return new DecodeContext
        {
            FourOctetAsn = fourOctetAsn,
            ExtendedMessage = local.Supports(CapabilityCode.ExtendedMessage) && remote.Supports(CapabilityCode.ExtendedMessage),
            AddPathReceive = receive.ToImmutable(),
            AddPathSend = send.ToImmutable(),
            ExternalPeer = local.Asn != remote.Asn,
            PeerAsn = fourOctetAsn ? remote.Asn : remote.MyAutonomousSystem,
            Policy = policy ?? ReceivePolicy.Default,
        };
    }

    private static bool Contains(EquatableArray<AfiSafi> families, AfiSafi family)
    {
        foreach (var f in families.AsSpan())
        {
            if (f == family)
            {
                return true;
            }
        }
        return false;
    }
}
