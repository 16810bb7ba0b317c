using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>UPDATEs packed from a list of NLRI, and the NLRI that fit in no UPDATE with their attributes.</summary>
/// <param name="Withheld">RFC 8654 section 4: a route whose attributes and NLRI exceed the peer's maximum message
/// length (4096 octets without the extended message capability) must not be sent to that peer; the caller
/// withdraws it there instead, in case an earlier, smaller version was sent.</param>
public sealed record PackedUpdates(IReadOnlyList<UpdateMessage> Updates, IReadOnlyList<Nlri> Withheld);

/// <summary>Packs many NLRI that share one attribute set (or many withdrawals) into as few UPDATEs as fit
/// the negotiated maximum message length: 4096 octets, or 65535 with the extended message capability
/// (RFC 8654). The MP attributes are written with the extended-length bit, so each NLRI's cost is exact; only a
/// route that fits with the short header alone goes without it.</summary>
public static class UpdatePacker
{
    private static readonly EquatableArray<AttributeHeader> ReachLayout =
        ImmutableArray.Create(new AttributeHeader(AttributeFlags.Optional | AttributeFlags.ExtendedLength, AttributeType.MpReachNlri));

    private static readonly EquatableArray<AttributeHeader> UnreachLayout =
        ImmutableArray.Create(new AttributeHeader(AttributeFlags.Optional | AttributeFlags.ExtendedLength, AttributeType.MpUnreachNlri));

    /// <summary>UPDATEs announcing <paramref name="nlri"/> of <paramref name="family"/> with
    /// <paramref name="attributes"/> via <paramref name="nextHop"/>, in order; NLRI that do not fit one UPDATE
    /// with these attributes are returned as withheld, never sent.</summary>
    public static PackedUpdates PackAnnouncements(AfiSafi family, PathAttributes attributes, IpAddr nextHop,
        IReadOnlyList<Nlri> nlri, DecodeContext context, IpAddr? linkLocalNextHop = null)
    {
        var template = family == AfiSafi.Ipv4Unicast
            ? UpdateMessage.Announce(family, nextHop, attributes, EquatableArray<Nlri>.Empty)
            : new UpdateMessage(EquatableArray<Nlri>.Empty, attributes,
                new MpReachNlri(family, nextHop, linkLocalNextHop, EquatableArray<Nlri>.Empty), null, EquatableArray<Nlri>.Empty) { Layout = ReachLayout };
        return Pack(template, family, nlri, context, (t, chunk) => family == AfiSafi.Ipv4Unicast
            ? t with { Nlri = chunk }
            : t with { MpReach = t.MpReach! with { Nlri = chunk } });
    }

    /// <summary>UPDATEs withdrawing <paramref name="nlri"/> of <paramref name="family"/>, in order. A withdrawal
    /// carries no other attribute and one NLRI is at most 257 octets, so every withdrawal fits.</summary>
    public static IReadOnlyList<UpdateMessage> PackWithdrawals(AfiSafi family, IReadOnlyList<Nlri> nlri, DecodeContext context)
    {
        var template = family == AfiSafi.Ipv4Unicast
            ? UpdateMessage.Withdraw(family, EquatableArray<Nlri>.Empty)
            : UpdateMessage.Withdraw(family, EquatableArray<Nlri>.Empty) with { Layout = UnreachLayout };
        return Pack(template, family, nlri, context, (t, chunk) => family == AfiSafi.Ipv4Unicast
            ? t with { Withdrawn = chunk }
            : t with { MpUnreach = t.MpUnreach! with { Nlri = chunk } }).Updates;
    }

    private static PackedUpdates Pack(UpdateMessage template, AfiSafi family, IReadOnlyList<Nlri> nlri, DecodeContext context,
        Func<UpdateMessage, EquatableArray<Nlri>, UpdateMessage> fill)
    {
        var messages = new List<UpdateMessage>();
        var withheld = new List<Nlri>();
        if (nlri.Count == 0)
        {
            return new PackedUpdates(messages, withheld);
        }
        // Header, the two length fields, the attributes with an empty NLRI list.
        var baseLength = BgpFraming.HeaderLength + 4 + UpdateEncoder.MeasureAttributes(template, context);
        var max = context.MaxMessageLength;
        var addPath = context.SendsPathId(family);
        var chunk = ImmutableArray.CreateBuilder<Nlri>();
        var length = baseLength;
        void Flush()
        {
            if (chunk.Count > 0)
            {
                messages.Add(fill(template, chunk.ToImmutable()));
                chunk.Clear();
                length = baseLength;
            }
        }
        foreach (var n in nlri)
        {
            var size = UpdateEncoder.NlriLength(family, n, addPath);
            if (baseLength + size > max)
            {
                if (Alone(template, n, context, fill) is { } alone)
                {
                    Flush();
                    messages.Add(alone);
                }
                else
                {
                    withheld.Add(n);
                }
                continue;
            }
            if (length + size > max)
            {
                Flush();
            }
            chunk.Add(n);
            length += size;
        }
        Flush();
        return new PackedUpdates(messages, withheld);
    }

    /// <summary>An UPDATE of <paramref name="nlri"/> alone when it fits only with the MP attribute's short header, else
    /// null. RFC 8654 section 4 withholds a route only when no UPDATE can carry it; the packed UPDATEs' extended-length
    /// header costs one octet an MP attribute of at most 255 octets does not need, which decides at the very edge.</summary>
    private static UpdateMessage? Alone(UpdateMessage template, Nlri nlri, DecodeContext context,
        Func<UpdateMessage, EquatableArray<Nlri>, UpdateMessage> fill)
    {
        if (template.Layout.IsEmpty)
        {
            return null;
        }
        var alone = fill(template with { Layout = EquatableArray<AttributeHeader>.Empty }, ImmutableArray.Create(nlri));
        return BgpFraming.HeaderLength + 4 + UpdateEncoder.MeasureAttributes(alone, context) <= context.MaxMessageLength ? alone : null;
    }
}
