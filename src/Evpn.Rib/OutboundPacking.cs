using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The UPDATEs for one <see cref="OutboundUpdate"/>, and the routes that were too large for the peer.</summary>
/// <param name="Withheld">Routes whose UPDATE would exceed the peer's maximum message length (RFC 8654 section 4):
/// not announced, and withdrawn in <see cref="Messages"/> in case an earlier version was sent.</param>
public sealed record OutboundMessages(List<UpdateMessage> Messages, List<EvpnRoute> Withheld);

/// <summary>Turns an <see cref="OutboundUpdate"/> into UPDATE messages with the codec's packer:
/// withdrawals (MP_UNREACH_NLRI), then one run of packed UPDATEs per attribute set (MP_REACH_NLRI),
/// then the End-of-RIB marker (RFC 4724 section 2) when due.</summary>
public static class OutboundPacking
{
    public static OutboundMessages ToMessages(this OutboundUpdate update, DecodeContext context)
    {
        var announcements = new List<UpdateMessage>();
        var withheld = new List<EvpnRoute>();
        foreach (var group in update.Announcements)
        {
            var packed = UpdatePacker.PackAnnouncements(update.Family, group.Attributes, group.NextHop, Nlri(group.Routes), context);
            announcements.AddRange(packed.Updates);
            foreach (var nlri in packed.Withheld)
            {
                withheld.Add(nlri.Evpn!);
            }
        }
        var messages = new List<UpdateMessage>();
        if (update.Withdrawals.Count + withheld.Count > 0)
        {
            // RFC 8654 section 4 (and RFC 4271 section 9.1.3): a route that can no longer be sent is withdrawn, so the
            // peer does not keep a smaller version of it that we sent before.
            messages.AddRange(UpdatePacker.PackWithdrawals(update.Family, Nlri(update.Withdrawals.Concat(withheld)), context));
        }
        messages.AddRange(announcements);
        if (update.EndOfRib)
        {
            messages.Add(EndOfRib.For(update.Family));
        }
        return new OutboundMessages(messages, withheld);
    }

    private static List<Nlri> Nlri(IEnumerable<EvpnRoute> routes)
    {
        var nlri = new List<Nlri>();
        foreach (var route in routes)
        {
            nlri.Add(Wire.Nlri.ForEvpn(route));
        }
        return nlri;
    }
}
