using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The UPDATEs for one <see cref="OutboundUpdate"/>, and the routes that were too large for the peer.</summary>
/// <param name="Withheld">Routes whose UPDATE would exceed the peer's maximum message length (RFC 8654 section 4):
/// not announced, and withdrawn in <see cref="Updates"/> in case an earlier version was sent.</param>
public sealed record OutboundMessages(List<EncodedUpdate> Updates, List<EvpnRoute> Withheld)
{
    public List<UpdateMessage> Messages => [.. Updates.Select(u => u.Message)];
}

/// <summary>Turns an <see cref="OutboundUpdate"/> into UPDATE messages with the codec's packer: per segment,
/// withdrawals (MP_UNREACH_NLRI) or one run of packed UPDATEs for its attribute set (MP_REACH_NLRI), then the
/// End-of-RIB marker (RFC 4724 section 2) when due. A segment shared by an update group is packed once.</summary>
public static class OutboundPacking
{
    public static OutboundMessages ToMessages(this OutboundUpdate update, DecodeContext context)
    {
        var updates = new List<EncodedUpdate>();
        var withheld = new List<EvpnRoute>();
        foreach (var segment in update.Segments)
        {
            var packed = segment.Pack(update.Family, context);
            updates.AddRange(packed.Updates);
            withheld.AddRange(packed.Withheld);
        }
        if (update.EndOfRib)
        {
            updates.Add(new EncodedUpdate(EndOfRib.For(update.Family)));
        }
        return new OutboundMessages(updates, withheld);
    }

    /// <summary>One segment's UPDATEs; with <paramref name="encode"/> also their bytes, for every member that shares them.</summary>
    internal static OutboundMessages Pack(OutboundSegment segment, AfiSafi family, DecodeContext context, bool encode)
    {
        var messages = new List<UpdateMessage>();
        var withheld = new List<EvpnRoute>();
        if (segment.Set is not { } set)
        {
            messages.AddRange(UpdatePacker.PackWithdrawals(family, Nlri(segment.Routes), context));
        }
        else
        {
            var packed = UpdatePacker.PackAnnouncements(family, set.Attributes, set.NextHop, Nlri(segment.Routes), context);
            foreach (var nlri in packed.Withheld)
            {
                withheld.Add(nlri.Evpn!);
            }
            if (withheld.Count > 0)
            {
                // RFC 8654 section 4 (and RFC 4271 section 9.1.3): a route that can no longer be sent is withdrawn, so the
                // peer does not keep a smaller version of it that we sent before.
                messages.AddRange(UpdatePacker.PackWithdrawals(family, Nlri(withheld), context));
            }
            messages.AddRange(packed.Updates);
        }
        var updates = new List<EncodedUpdate>(messages.Count);
        foreach (var message in messages)
        {
            updates.Add(encode ? EncodedUpdate.Shared(message, context) : new EncodedUpdate(message));
        }
        return new OutboundMessages(updates, withheld);
    }

    private static List<Nlri> Nlri(IReadOnlyList<EvpnRoute> routes)
    {
        var nlri = new List<Nlri>(routes.Count);
        foreach (var route in routes)
        {
            nlri.Add(Wire.Nlri.ForEvpn(route));
        }
        return nlri;
    }
}
