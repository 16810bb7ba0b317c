using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Turns an <see cref="OutboundUpdate"/> into UPDATE messages with the codec's packer:
/// withdrawals (MP_UNREACH_NLRI), then one run of packed UPDATEs per attribute set (MP_REACH_NLRI),
/// then the End-of-RIB marker (RFC 4724 section 2) when due.</summary>
public static class OutboundPacking
{
    public static List<UpdateMessage> ToMessages(this OutboundUpdate update, DecodeContext context)
    {
        var messages = new List<UpdateMessage>();
        if (update.Withdrawals.Count > 0)
        {
            messages.AddRange(UpdatePacker.PackWithdrawals(update.Family, Nlri(update.Withdrawals), context));
        }
        foreach (var group in update.Announcements)
        {
            messages.AddRange(UpdatePacker.PackAnnouncements(update.Family, group.Attributes, group.NextHop, Nlri(group.Routes), context));
        }
        if (update.EndOfRib)
        {
            messages.Add(EndOfRib.For(update.Family));
        }
        return messages;
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
