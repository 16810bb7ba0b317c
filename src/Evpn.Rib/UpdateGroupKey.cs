using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>What decides the bytes a peer is sent, so peers with equal keys share one update group: the export
/// rules (iBGP or eBGP, route-reflector client or not: RFC 4271 section 9.2, RFC 4456 section 6) and the encoding
/// negotiated (RFC 6793 4-octet AS, RFC 8654 extended messages, RFC 7911 add-path for EVPN). evpnd has no
/// per-peer outbound policy; one that differed per peer would belong here.</summary>
public readonly record struct UpdateGroupKey(bool Internal, bool RouteReflectorClient, bool FourOctetAsn, bool ExtendedMessage, bool AddPath)
{
    public static UpdateGroupKey For(PeerSession session)
    {
        var context = session.SendContext ?? DecodeContext.Default;
        return new UpdateGroupKey(session.IsInternal, session.IsRouteReflectorClient, context.FourOctetAsn, context.ExtendedMessage,
            context.SendsPathId(AfiSafi.L2vpnEvpn));
    }

    /// <summary>What the encoder reads of a session's context, and nothing else: every member's UPDATEs encode the same.</summary>
    public DecodeContext Encoding => new()
    {
        FourOctetAsn = FourOctetAsn,
        ExtendedMessage = ExtendedMessage,
        AddPathSend = AddPath ? new EquatableArray<AfiSafi>([AfiSafi.L2vpnEvpn]) : EquatableArray<AfiSafi>.Empty,
    };

    /// <summary>For show and metrics, e.g. "ibgp rr-client as4 extended".</summary>
    public override string ToString() =>
        string.Join(' ', new[]
        {
            Internal ? "ibgp" : "ebgp",
            RouteReflectorClient ? "rr-client" : null,
            FourOctetAsn ? "as4" : "as2",
            ExtendedMessage ? "extended" : null,
            AddPath ? "add-path" : null,
        }.Where(s => s is not null));
}
