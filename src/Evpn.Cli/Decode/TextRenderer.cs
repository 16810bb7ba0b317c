using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Cli.Decode;

/// <summary>Readable text: one header line per message, then its contents indented.</summary>
public sealed class TextRenderer(TextWriter output) : IMessageRenderer
{
    public void Render(DecodedEntry entry)
    {
        var prefix = $"#{entry.Index}";
        if (entry.Record is { } record)
        {
            output.WriteLine($"{prefix} {Describe.MrtHeader(record)}");
            prefix = "  ";
        }
        if (entry.Problem is not null)
        {
            output.WriteLine($"{prefix} input error: {entry.Problem}");
        }
        var result = entry.Result;
        if (entry.Bytes.Length > 0 && entry.Problem is null)
        {
            switch (result.Message)
            {
                case OpenMessage open:
                    output.WriteLine($"{prefix} OPEN ({entry.Bytes.Length} octets) version {open.Version}, AS {open.Asn}, hold time {open.HoldTime} s, BGP identifier {open.BgpIdentifierAddress}");
                    foreach (var c in open.Capabilities)
                    {
                        output.WriteLine($"    {Describe.CapabilityName(c)} {Describe.CapabilityValue(c)}".TrimEnd());
                    }
                    break;
                case UpdateMessage update:
                    output.WriteLine($"{prefix} UPDATE ({entry.Bytes.Length} octets)");
                    WriteUpdate(update);
                    break;
                case NotificationMessage n:
                    output.WriteLine($"{prefix} NOTIFICATION ({entry.Bytes.Length} octets) {n.Code} ({(byte)n.Code}) subcode {n.Subcode}" +
                        (n.ShutdownCommunication is { } s ? $" \"{PeerText.Escape(s)}\"" : n.Data.IsEmpty ? "" : $" data {Convert.ToHexString(n.Data.AsSpan()).ToLowerInvariant()}"));
                    break;
                case KeepaliveMessage:
                    output.WriteLine($"{prefix} KEEPALIVE");
                    break;
                case RouteRefreshMessage r:
                    output.WriteLine($"{prefix} ROUTE-REFRESH {r.Family} {r.Subtype}");
                    break;
                case null:
                    output.WriteLine($"{prefix} not decoded ({entry.Bytes.Length} octets): {Convert.ToHexString(entry.Bytes).ToLowerInvariant()}");
                    break;
            }
        }
        foreach (var e in result.Errors)
        {
            output.WriteLine($"    error: {e}");
        }
        if (result.SkippedRoutes > 0)
        {
            output.WriteLine($"    skipped {result.SkippedRoutes} EVPN route(s) of unknown type (RFC 7606 section 5.4)");
        }
    }

    private void WriteUpdate(UpdateMessage update)
    {
        var a = update.Attributes;
        if (update.IsEndOfRib(out var eorFamily))
        {
            output.WriteLine($"    End-of-RIB {eorFamily}");
            return;
        }
        var vxlan = a.IsVxlan;
        foreach (var w in update.Withdrawn)
        {
            output.WriteLine($"    withdrawn {w}");
        }
        if (a.Origin is { } origin)
        {
            output.WriteLine($"    ORIGIN {origin.ToString().ToLowerInvariant()}");
        }
        if (a.AsPath is { } path)
        {
            output.WriteLine($"    AS_PATH {path}".TrimEnd());
        }
        if (a.NextHop is { } nh)
        {
            output.WriteLine($"    NEXT_HOP {nh}");
        }
        if (a.MultiExitDisc is { } med)
        {
            output.WriteLine($"    MULTI_EXIT_DISC {med}");
        }
        if (a.LocalPref is { } lp)
        {
            output.WriteLine($"    LOCAL_PREF {lp}");
        }
        if (a.AtomicAggregate)
        {
            output.WriteLine("    ATOMIC_AGGREGATE");
        }
        if (a.Aggregator is { } agg)
        {
            output.WriteLine($"    AGGREGATOR AS {agg.Asn} {agg.Address}");
        }
        if (!a.Communities.IsEmpty)
        {
            output.WriteLine($"    COMMUNITIES {string.Join(' ', a.Communities.Select(c => $"{c >> 16}:{c & 0xFFFF}"))}");
        }
        if (a.OriginatorId is { } originator)
        {
            output.WriteLine($"    ORIGINATOR_ID {originator}");
        }
        if (!a.ClusterList.IsEmpty)
        {
            output.WriteLine($"    CLUSTER_LIST {a.ClusterList}");
        }
        if (!a.ExtendedCommunities.IsEmpty)
        {
            output.WriteLine($"    EXTENDED_COMMUNITIES {string.Join(", ", a.ExtendedCommunities)}");
        }
        if (a.PmsiTunnel is { } pmsi)
        {
            output.WriteLine($"    PMSI_TUNNEL {Describe.Pmsi(pmsi)}");
        }
        if (!a.LargeCommunities.IsEmpty)
        {
            output.WriteLine($"    LARGE_COMMUNITIES {a.LargeCommunities}");
        }
        foreach (var raw in a.Unrecognized)
        {
            output.WriteLine($"    attribute {raw.TypeCode} flags 0x{raw.Flags:x2} value {Convert.ToHexString(raw.Value.AsSpan()).ToLowerInvariant()}");
        }
        if (update.MpReach is { } reach)
        {
            var ll = reach.LinkLocalNextHop is { } l ? $" link-local {l}" : "";
            output.WriteLine($"    MP_REACH_NLRI {reach.Family} next hop {reach.NextHop}{ll}");
            foreach (var n in reach.Nlri)
            {
                output.WriteLine($"      {Route(n, vxlan)}");
            }
        }
        if (update.MpUnreach is { } unreach)
        {
            output.WriteLine($"    MP_UNREACH_NLRI {unreach.Family}");
            foreach (var n in unreach.Nlri)
            {
                output.WriteLine($"      {Route(n, vxlan)}");
            }
        }
        foreach (var family in update.IgnoredFamilies)
        {
            output.WriteLine($"    NLRI of {family} not decoded");
        }
        foreach (var n in update.Nlri)
        {
            output.WriteLine($"    nlri {n}");
        }
    }

    private static string Route(Nlri n, bool vxlan)
    {
        var text = n.ToString();
        return n.Evpn switch
        {
            MacIpAdvertisementRoute r => $"{text} ({Describe.Label(r.Label1, vxlan)}{(r.Label2 is { } l2 ? ", " + Describe.Label(l2, vxlan) : "")})",
            IpPrefixRoute r => $"{text} ({Describe.Label(r.Label, vxlan)})",
            EthernetAutoDiscoveryRoute r => $"{text} ({Describe.Label(r.Label, vxlan)})",
            _ => text,
        };
    }

    public void Complete() => output.Flush();
}
