using System.Collections.Immutable;
using Evpn.Session.Options;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Negotiation;

/// <summary>Builds our OPEN and checks the peer's (RFC 4271 section 6.2, RFC 5492, RFC 6793). The
/// result is either the negotiated session or the OPEN error that refuses it; never an exception.</summary>
public static class OpenNegotiation
{
    /// <summary>RFC 4271 section 8: the hold time while waiting for the OPEN ("a large value", 4 minutes).</summary>
    public static readonly TimeSpan LargeHoldTime = TimeSpan.FromMinutes(4);

    public static OpenMessage BuildLocalOpen(PeerOptions peer, SpeakerOptions speaker, bool restarting)
    {
        var localAs = peer.LocalAs ?? speaker.LocalAs;
        var caps = ImmutableArray.CreateBuilder<Capability>();
        foreach (var family in peer.Families)
        {
            caps.Add(new MultiprotocolCapability(family));
        }
        caps.Add(new RouteRefreshCapability());
        caps.Add(new EnhancedRouteRefreshCapability());
        caps.Add(new FourOctetAsCapability(localAs));
        if (peer.ExtendedMessage)
        {
            caps.Add(new ExtendedMessageCapability());
        }
        if (peer.AddPathReceive && peer.Families.Contains(AfiSafi.L2vpnEvpn))
        {
            // RFC 7911 section 4: receive only; evpnd sends one path per route (its best).
            caps.Add(new AddPathCapability(new[] { new AddPathFamily(AfiSafi.L2vpnEvpn, AddPathDirection.Receive) }));
        }
        if (peer.GracefulRestart is { } gr)
        {
            // RFC 4724 section 3: the F bit says the forwarding state of that family survived our restart.
            var families = peer.Families
                .Select(f => GracefulRestartFamily.Create(f, restarting && speaker.ForwardingPreserved))
                .ToArray();
            caps.Add(GracefulRestartCapability.Create(gr.RestartTime, restarting, gr.NotificationSupport, families));
        }
        return OpenMessage.Create(localAs, peer.HoldTime, speaker.RouterIdValue, caps.ToImmutable());
    }

    /// <summary>Checks the peer's OPEN against ours and the configuration; <paramref name="expectedRemoteAs"/>
    /// says which AS numbers the peer may announce.</summary>
    public static OpenOutcome Negotiate(OpenMessage local, OpenMessage remote, RemoteAsRule expectedRemoteAs)
    {
        // RFC 4271 6.2: the data is the largest version we support, as 2 octets.
        if (remote.Version != OpenMessage.BgpVersion)
        {
            return Reject(OpenMessageErrorSubcode.UnsupportedVersionNumber, $"BGP version {remote.Version} is not supported",
                [0, OpenMessage.BgpVersion]);
        }
        var remoteAs = remote.Asn;
        // RFC 6793 section 4.1: with the capability, My AS must be the AS itself or AS_TRANS.
        var fourOctet = remote.Find<FourOctetAsCapability>();
        var myAsConsistent = fourOctet is null || remote.MyAutonomousSystem == OpenMessage.AsTrans
            || remote.MyAutonomousSystem == fourOctet.Asn;
        if (remoteAs == 0 || !myAsConsistent || !expectedRemoteAs.Accepts(remoteAs, local.Asn))
        {
            return Reject(OpenMessageErrorSubcode.BadPeerAs, myAsConsistent
                ? $"AS {remoteAs} is not the AS configured for this peer"
                : $"My AS {remote.MyAutonomousSystem} is neither AS_TRANS nor the 4-octet AS {remoteAs}");
        }
        // RFC 4271 6.2: zero hold time or at least 3 seconds.
        if (remote.HoldTime is 1 or 2)
        {
            return Reject(OpenMessageErrorSubcode.UnacceptableHoldTime, $"hold time {remote.HoldTime} s (must be 0 or at least 3)");
        }
        var localAs = local.Asn;
        // RFC 6286 section 2.2: the identifier is non-zero, and within an AS it must differ from ours.
        if (remote.BgpIdentifier == 0 || (remoteAs == localAs && remote.BgpIdentifier == local.BgpIdentifier))
        {
            return Reject(OpenMessageErrorSubcode.BadBgpIdentifier, remote.BgpIdentifier == 0
                ? "BGP Identifier is 0" : "BGP Identifier is ours and the peer is in our AS");
        }
        // RFC 4760 section 8: a speaker without the multiprotocol capability does IPv4 unicast only.
        var remoteFamilies = remote.Families.ToHashSet();
        if (remoteFamilies.Count == 0)
        {
            remoteFamilies.Add(AfiSafi.Ipv4Unicast);
        }
        var families = local.Families.Where(remoteFamilies.Contains).ToImmutableArray();
        if (families.IsEmpty)
        {
            // RFC 5492 section 5: Unsupported Capability lists the capabilities we need and it lacks.
            return Reject(OpenMessageErrorSubcode.UnsupportedCapability, "no address family in common",
                EncodeMultiprotocol(local.Families));
        }
        var localGr = local.Find<GracefulRestartCapability>();
        var remoteGr = remote.Find<GracefulRestartCapability>();
        var hold = Math.Min(local.HoldTime, remote.HoldTime);
        var session = new NegotiatedSession(
            local, remote, localAs, remoteAs, remote.BgpIdentifier, (ushort)hold, families,
            FourOctetAs: fourOctet is not null && local.Supports(CapabilityCode.FourOctetAs),
            RouteRefresh: remote.Supports(CapabilityCode.RouteRefresh),
            EnhancedRouteRefresh: remote.Supports(CapabilityCode.EnhancedRouteRefresh) && local.Supports(CapabilityCode.EnhancedRouteRefresh),
            ExtendedMessage: remote.Supports(CapabilityCode.ExtendedMessage) && local.Supports(CapabilityCode.ExtendedMessage),
            Context: DecodeContext.Negotiate(local, remote))
        {
            PeerGracefulRestart = localGr is not null ? remoteGr : null,
            GracefulNotification = localGr is { NotificationSupported: true } && remoteGr is { NotificationSupported: true },
        };
        return new OpenOutcome(session, null);
    }

    /// <summary>The multiprotocol capabilities in wire form (code 1, length 4, AFI, reserved, SAFI),
    /// which is what RFC 5492 puts in the data of an Unsupported Capability NOTIFICATION.</summary>
    private static byte[] EncodeMultiprotocol(IEnumerable<AfiSafi> families)
    {
        var list = families.ToArray();
        var data = new byte[list.Length * 6];
        for (var i = 0; i < list.Length; i++)
        {
            var d = data.AsSpan(i * 6);
            d[0] = CapabilityCode.Multiprotocol;
            d[1] = 4;
            d[2] = (byte)((ushort)list[i].Afi >> 8);
            d[3] = (byte)(ushort)list[i].Afi;
            d[4] = 0;
            d[5] = (byte)list[i].Safi;
        }
        return data;
    }

    private static OpenOutcome Reject(byte subcode, string reason, byte[]? data = null) =>
        new(null, BgpError.Open(subcode, reason, data));
}

/// <summary>Either a session or the OPEN error that refuses it (sent as <see cref="Notifications.For"/> says).</summary>
public readonly record struct OpenOutcome(NegotiatedSession? Session, BgpError? Error);
