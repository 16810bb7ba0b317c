using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Writes UPDATE bodies (RFC 4271 section 4.3). Attributes follow the received
/// <see cref="UpdateMessage.Layout"/> when there is one (order, flags, extended-length bit), so a decoded
/// message re-encodes to the same bytes; attributes not in the layout follow in type-code order.</summary>
internal static class UpdateEncoder
{
    /// <summary>Where <see cref="MeasureAttributes"/> writes, one per thread: the packer measures every UPDATE it
    /// builds, and an array of the largest message length for each would be garbage at once.</summary>
    [ThreadStatic]
    private static byte[]? _measureScratch;

    public static void Write(ref WireWriter w, UpdateMessage update, DecodeContext context)
    {
        var withdrawnAt = w.Position;
        w.WriteUInt16(0);
        var ipv4AddPath = context.SendsPathId(AfiSafi.Ipv4Unicast);
        foreach (var nlri in update.Withdrawn.AsSpan())
        {
            PrefixNlriCodec.Write(ref w, nlri, v6: false, ipv4AddPath);
        }
        w.PatchUInt16(withdrawnAt, (ushort)(w.Position - withdrawnAt - 2));

        var attributesAt = w.Position;
        w.WriteUInt16(0);
        WriteAttributes(ref w, update, context);
        w.PatchUInt16(attributesAt, (ushort)(w.Position - attributesAt - 2));

        foreach (var nlri in update.Nlri.AsSpan())
        {
            PrefixNlriCodec.Write(ref w, nlri, v6: false, ipv4AddPath);
        }
    }

    /// <summary>Octets the path attributes of <paramref name="update"/> take (MP attributes included).</summary>
    public static int MeasureAttributes(UpdateMessage update, DecodeContext context)
    {
        var scratch = _measureScratch ??= new byte[BgpFraming.ExtendedMaxMessageLength];
        var w = new WireWriter(scratch, scratch.Length);
        WriteAttributes(ref w, update, context);
        return w.Position;
    }

    private static void WriteAttributes(ref WireWriter w, UpdateMessage update, DecodeContext context)
    {
        var a = update.Attributes;
        Span<ulong> done = stackalloc ulong[4];
        foreach (var header in update.Layout.AsSpan())
        {
            WriteOnce(ref w, header.TypeCode, header.Flags, update, context, done);
        }
        Span<byte> present = stackalloc byte[24];
        var count = 0;
        void Add(Span<byte> list, ref int n, bool has, byte type)
        {
            if (has)
            {
                list[n++] = type;
            }
        }
        var needAs4 = !context.FourOctetAsn;
        Add(present, ref count, a.Origin.HasValue, AttributeType.Origin);
        Add(present, ref count, a.AsPath is not null, AttributeType.AsPath);
        Add(present, ref count, a.NextHop.HasValue, AttributeType.NextHop);
        Add(present, ref count, a.MultiExitDisc.HasValue, AttributeType.MultiExitDisc);
        Add(present, ref count, a.LocalPref.HasValue, AttributeType.LocalPref);
        Add(present, ref count, a.AtomicAggregate, AttributeType.AtomicAggregate);
        Add(present, ref count, a.Aggregator.HasValue, AttributeType.Aggregator);
        Add(present, ref count, !a.Communities.IsEmpty, AttributeType.Communities);
        Add(present, ref count, a.OriginatorId.HasValue, AttributeType.OriginatorId);
        Add(present, ref count, !a.ClusterList.IsEmpty, AttributeType.ClusterList);
        Add(present, ref count, update.MpReach is not null || HasUnsupported(update, AttributeType.MpReachNlri), AttributeType.MpReachNlri);
        Add(present, ref count, update.MpUnreach is not null || HasUnsupported(update, AttributeType.MpUnreachNlri), AttributeType.MpUnreachNlri);
        Add(present, ref count, !a.ExtendedCommunities.IsEmpty, AttributeType.ExtendedCommunities);
        Add(present, ref count, needAs4 && a.AsPath is { } p && NeedsAs4(p), AttributeType.As4Path);
        Add(present, ref count, needAs4 && a.Aggregator is { } g && g.Asn > ushort.MaxValue, AttributeType.As4Aggregator);
        Add(present, ref count, a.PmsiTunnel is not null, AttributeType.PmsiTunnel);
        Add(present, ref count, !a.LargeCommunities.IsEmpty, AttributeType.LargeCommunities);
        var unknownIndex = 0;
        foreach (var type in present[..count])
        {
            while (unknownIndex < a.Unrecognized.Count && a.Unrecognized[unknownIndex].TypeCode < type)
            {
                var raw = a.Unrecognized[unknownIndex++];
                WriteOnce(ref w, raw.TypeCode, raw.Flags, update, context, done);
            }
            WriteOnce(ref w, type, null, update, context, done);
        }
        while (unknownIndex < a.Unrecognized.Count)
        {
            var raw = a.Unrecognized[unknownIndex++];
            WriteOnce(ref w, raw.TypeCode, raw.Flags, update, context, done);
        }
    }

    private static bool HasUnsupported(UpdateMessage update, byte type) =>
        update.UnsupportedMpAttributes.Any(a => a.TypeCode == type);

    private static bool NeedsAs4(AsPath path)
    {
        foreach (var segment in path.Segments)
        {
            foreach (var asn in segment.Asns)
            {
                if (asn > ushort.MaxValue)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Writes attribute <paramref name="type"/> if the message has it and it was not written yet.</summary>
    private static void WriteOnce(ref WireWriter w, byte type, byte? flags, UpdateMessage update, DecodeContext context, scoped Span<ulong> done)
    {
        ref var word = ref done[type >> 6];
        var bit = 1UL << (type & 63);
        if ((word & bit) != 0)
        {
            return;
        }
        var a = update.Attributes;
        var fourOctet = context.FourOctetAsn;
        var defaultFlags = AttributeDecoder.ExpectedFlags(type);
        var start = w.Position;
        var f = flags ?? defaultFlags ?? 0;
        var headerLength = (f & AttributeFlags.ExtendedLength) != 0 ? 4 : 3;
        w.WriteByte(f);
        w.WriteByte(type);
        if (headerLength == 4)
        {
            w.WriteUInt16(0);
        }
        else
        {
            w.WriteByte(0);
        }
        var valueStart = w.Position;
        if (!WriteValue(ref w, type, update, context, fourOctet))
        {
            w.Rewind(start);
            return;
        }
        word |= bit;
        var length = w.Position - valueStart;
        if (headerLength == 3 && length > byte.MaxValue)
        {
            w.ShiftRightByOne(valueStart);
            w.PatchByte(start, (byte)(f | AttributeFlags.ExtendedLength));
            headerLength = 4;
        }
        if (headerLength == 4)
        {
            w.PatchUInt16(start + 2, (ushort)length);
        }
        else
        {
            w.PatchByte(start + 2, (byte)length);
        }
    }

    /// <summary>Writes the value of attribute <paramref name="type"/>; false when the message does not have it.</summary>
    private static bool WriteValue(ref WireWriter w, byte type, UpdateMessage update, DecodeContext context, bool fourOctet)
    {
        var a = update.Attributes;
        switch (type)
        {
            case AttributeType.Origin when a.Origin is { } origin:
                w.WriteByte((byte)origin);
                return true;
            case AttributeType.AsPath when a.AsPath is { } path:
                WriteAsPath(ref w, path, fourOctet, as4: false);
                return true;
            case AttributeType.NextHop when a.NextHop is { } nextHop:
                if (!nextHop.IsV4)
                {
                    throw new ArgumentException("NEXT_HOP must be an IPv4 address; IPv6 next hops go in MP_REACH_NLRI", nameof(update));
                }
                w.WriteUInt32(nextHop.V4Bits);
                return true;
            case AttributeType.MultiExitDisc when a.MultiExitDisc is { } med:
                w.WriteUInt32(med);
                return true;
            case AttributeType.LocalPref when a.LocalPref is { } localPref:
                w.WriteUInt32(localPref);
                return true;
            case AttributeType.AtomicAggregate when a.AtomicAggregate:
                return true;
            case AttributeType.Aggregator when a.Aggregator is { } aggregator:
                if (fourOctet)
                {
                    w.WriteUInt32(aggregator.Asn);
                }
                else
                {
                    w.WriteUInt16(aggregator.Asn > ushort.MaxValue ? OpenMessage.AsTrans : (ushort)aggregator.Asn);
                }
                w.WriteUInt32(aggregator.Address.V4Bits);
                return true;
            case AttributeType.Communities when !a.Communities.IsEmpty:
                foreach (var c in a.Communities.AsSpan())
                {
                    w.WriteUInt32(c);
                }
                return true;
            case AttributeType.OriginatorId when a.OriginatorId is { } originator:
                w.WriteUInt32(originator.V4Bits);
                return true;
            case AttributeType.ClusterList when !a.ClusterList.IsEmpty:
                foreach (var c in a.ClusterList.AsSpan())
                {
                    w.WriteUInt32(c.V4Bits);
                }
                return true;
            case AttributeType.MpReachNlri when update.MpReach is { } reach:
                WriteMpReach(ref w, reach, context);
                return true;
            case AttributeType.MpUnreachNlri when update.MpUnreach is { } unreach:
                w.WriteUInt16((ushort)unreach.Family.Afi);
                w.WriteByte((byte)unreach.Family.Safi);
                WriteNlri(ref w, unreach.Family, unreach.Nlri, context);
                return true;
            case AttributeType.ExtendedCommunities when !a.ExtendedCommunities.IsEmpty:
                foreach (var c in a.ExtendedCommunities.AsSpan())
                {
                    w.WriteUInt64(c.Raw);
                }
                return true;
            case AttributeType.As4Path when !fourOctet && a.AsPath is { } path && NeedsAs4(path):
                WriteAsPath(ref w, path, fourOctet: true, as4: true);
                return true;
            case AttributeType.As4Aggregator when !fourOctet && a.Aggregator is { } aggregator && aggregator.Asn > ushort.MaxValue:
                w.WriteUInt32(aggregator.Asn);
                w.WriteUInt32(aggregator.Address.V4Bits);
                return true;
            case AttributeType.PmsiTunnel when a.PmsiTunnel is { } pmsi:
                w.WriteByte(pmsi.Flags);
                w.WriteByte(pmsi.TunnelType);
                w.WriteUInt24(pmsi.Label);
                w.Write(pmsi.TunnelIdentifier.Span);
                return true;
            case AttributeType.LargeCommunities when !a.LargeCommunities.IsEmpty:
                foreach (var c in a.LargeCommunities.AsSpan())
                {
                    w.WriteUInt32(c.GlobalAdministrator);
                    w.WriteUInt32(c.LocalData1);
                    w.WriteUInt32(c.LocalData2);
                }
                return true;
            case AttributeType.MpReachNlri or AttributeType.MpUnreachNlri:
                foreach (var raw in update.UnsupportedMpAttributes.AsSpan())
                {
                    if (raw.TypeCode == type)
                    {
                        w.Write(raw.Value.AsSpan());
                        return true;
                    }
                }
                return false;
            default:
                foreach (var raw in a.Unrecognized.AsSpan())
                {
                    if (raw.TypeCode == type && AttributeDecoder.IsKeptRaw(type))
                    {
                        w.Write(raw.Value.AsSpan());
                        return true;
                    }
                }
                return false;
        }
    }

    /// <summary>RFC 4271 section 4.3 segments; segments longer than 255 ASes are split. In AS4_PATH
    /// confederation segments are left out (RFC 6793 section 3).</summary>
    private static void WriteAsPath(ref WireWriter w, AsPath path, bool fourOctet, bool as4)
    {
        foreach (var segment in path.Segments)
        {
            if (as4 && segment.Type is AsPathSegmentType.ConfedSequence or AsPathSegmentType.ConfedSet)
            {
                continue;
            }
            var asns = segment.Asns.AsSpan();
            for (var start = 0; start < asns.Length; start += byte.MaxValue)
            {
                var chunk = asns.Slice(start, Math.Min(byte.MaxValue, asns.Length - start));
                w.WriteByte((byte)segment.Type);
                w.WriteByte((byte)chunk.Length);
                foreach (var asn in chunk)
                {
                    if (fourOctet)
                    {
                        w.WriteUInt32(asn);
                    }
                    else
                    {
                        w.WriteUInt16(asn > ushort.MaxValue ? OpenMessage.AsTrans : (ushort)asn);
                    }
                }
            }
        }
    }

    // RFC 4760 section 3: | AFI (2) | SAFI (1) | Next Hop Length (1) | Next Hop | Reserved (1) | NLRI |
    private static void WriteMpReach(ref WireWriter w, MpReachNlri reach, DecodeContext context)
    {
        w.WriteUInt16((ushort)reach.Family.Afi);
        w.WriteByte((byte)reach.Family.Safi);
        var nextHopLength = reach.NextHop.ByteLength + (reach.LinkLocalNextHop?.ByteLength ?? 0);
        w.WriteByte((byte)nextHopLength);
        reach.NextHop.Write(w.Take(reach.NextHop.ByteLength));
        if (reach.LinkLocalNextHop is { } linkLocal)
        {
            linkLocal.Write(w.Take(linkLocal.ByteLength));
        }
        w.WriteByte(0);
        WriteNlri(ref w, reach.Family, reach.Nlri, context);
    }

    private static void WriteNlri(ref WireWriter w, AfiSafi family, EquatableArray<Nlri> nlri, DecodeContext context)
    {
        var addPath = context.SendsPathId(family);
        if (family == AfiSafi.L2vpnEvpn)
        {
            foreach (var n in nlri.AsSpan())
            {
                if (n.Evpn is null)
                {
                    throw new ArgumentException("an L2VPN/EVPN NLRI must be an EVPN route", nameof(nlri));
                }
                if (addPath)
                {
                    w.WriteUInt32(n.PathId);
                }
                EvpnNlriCodec.Write(ref w, n.Evpn);
            }
            return;
        }
        if (family != AfiSafi.Ipv4Unicast && family != AfiSafi.Ipv6Unicast)
        {
            if (!nlri.IsEmpty)
            {
                throw new ArgumentException($"NLRI of {family} have no encoding", nameof(nlri));
            }
            return;
        }
        foreach (var n in nlri.AsSpan())
        {
            PrefixNlriCodec.Write(ref w, n, family.Afi == Afi.IPv6, addPath);
        }
    }

    /// <summary>Octets one NLRI of <paramref name="family"/> takes in MP_REACH/MP_UNREACH or the NLRI field.</summary>
    public static int NlriLength(AfiSafi family, in Nlri nlri, bool addPath) =>
        nlri.Evpn is { } route
            ? (addPath ? 4 : 0) + EvpnNlriCodec.EncodedLength(route)
            : PrefixNlriCodec.EncodedLength(nlri.Prefix, addPath);
}
