using System.Text;
using System.Text.Json;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Cli.Decode;

/// <summary>JSON: one array of message objects. Route fields are typed (numbers stay numbers); labels are
/// given raw and as the VNI or MPLS label the encapsulation community implies (RFC 8365 section 5.1.3).</summary>
public sealed class JsonRenderer : IMessageRenderer
{
    private readonly TextWriter _output;
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _json;

    public JsonRenderer(TextWriter output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true });
        _json.WriteStartArray();
    }

    public void Render(DecodedEntry entry)
    {
        var j = _json;
        j.WriteStartObject();
        j.WriteNumber("index", entry.Index);
        if (entry.Record is { } record)
        {
            j.WriteStartObject("mrt");
            j.WriteString("time", record.Timestamp.UtcDateTime);
            j.WriteNumber("type", record.Type);
            j.WriteNumber("subtype", record.Subtype);
            if (record.Bgp4Mp is { } e)
            {
                j.WriteNumber("peerAs", e.PeerAs);
                j.WriteString("peerIp", e.PeerIp.ToString());
                j.WriteNumber("localAs", e.LocalAs);
                j.WriteString("localIp", e.LocalIp.ToString());
                j.WriteBoolean("sentByLocal", e.Local);
                if (e.IsStateChange)
                {
                    j.WriteString("oldState", Describe.FsmState(e.OldState));
                    j.WriteString("newState", Describe.FsmState(e.NewState));
                }
            }
            j.WriteEndObject();
        }
        if (entry.Problem is not null)
        {
            j.WriteString("inputError", entry.Problem);
        }
        if (entry.Bytes.Length > 0)
        {
            j.WriteString("hex", Convert.ToHexString(entry.Bytes).ToLowerInvariant());
            j.WriteNumber("length", entry.Bytes.Length);
        }
        if (entry.Result.Message is { } message)
        {
            j.WriteString("type", Describe.MessageName(message.Type));
            WriteMessage(message);
        }
        j.WriteStartArray("errors");
        foreach (var e in entry.Result.Errors)
        {
            j.WriteStartObject();
            j.WriteString("action", e.Action.ToString());
            j.WriteNumber("code", (byte)e.Code);
            j.WriteNumber("subcode", e.Subcode);
            if (e.Family is { } f)
            {
                j.WriteString("family", f.ToString());
            }
            if (e.AttributeType is { } t)
            {
                j.WriteNumber("attributeType", t);
            }
            j.WriteString("reason", e.Reason);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        if (entry.Result.SkippedRoutes > 0)
        {
            j.WriteNumber("skippedUnknownRoutes", entry.Result.SkippedRoutes);
        }
        j.WriteEndObject();
    }

    private void WriteMessage(BgpMessage message)
    {
        var j = _json;
        switch (message)
        {
            case OpenMessage open:
                j.WriteNumber("version", open.Version);
                j.WriteNumber("myAs", open.MyAutonomousSystem);
                j.WriteNumber("asn", open.Asn);
                j.WriteNumber("holdTime", open.HoldTime);
                j.WriteString("bgpIdentifier", open.BgpIdentifierAddress.ToString());
                j.WriteStartArray("capabilities");
                foreach (var c in open.Capabilities)
                {
                    j.WriteStartObject();
                    j.WriteNumber("code", c.Code);
                    j.WriteString("name", Describe.CapabilityName(c));
                    j.WriteString("value", Describe.CapabilityValue(c));
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                break;
            case UpdateMessage update:
                WriteUpdate(update);
                break;
            case NotificationMessage n:
                j.WriteNumber("code", (byte)n.Code);
                j.WriteString("codeName", n.Code.ToString());
                j.WriteNumber("subcode", n.Subcode);
                j.WriteString("data", Convert.ToHexString(n.Data.AsSpan()).ToLowerInvariant());
                if (n.ShutdownCommunication is { } s)
                {
                    j.WriteString("shutdownCommunication", PeerText.Escape(s));
                }
                break;
            case RouteRefreshMessage r:
                j.WriteString("family", r.Family.ToString());
                j.WriteString("subtype", r.Subtype.ToString());
                break;
        }
    }

    private void WriteUpdate(UpdateMessage update)
    {
        var j = _json;
        var a = update.Attributes;
        if (update.IsEndOfRib(out var eor))
        {
            j.WriteString("endOfRib", eor.ToString());
        }
        j.WriteStartObject("attributes");
        if (a.Origin is { } origin)
        {
            j.WriteString("origin", origin.ToString().ToLowerInvariant());
        }
        if (a.AsPath is { } path)
        {
            j.WriteString("asPath", path.ToString());
        }
        if (a.NextHop is { } nh)
        {
            j.WriteString("nextHop", nh.ToString());
        }
        if (a.MultiExitDisc is { } med)
        {
            j.WriteNumber("med", med);
        }
        if (a.LocalPref is { } lp)
        {
            j.WriteNumber("localPref", lp);
        }
        if (a.AtomicAggregate)
        {
            j.WriteBoolean("atomicAggregate", true);
        }
        if (a.Aggregator is { } agg)
        {
            j.WriteString("aggregator", $"{agg.Asn} {agg.Address}");
        }
        WriteStrings("communities", a.Communities.Select(c => $"{c >> 16}:{c & 0xFFFF}"));
        if (a.OriginatorId is { } originator)
        {
            j.WriteString("originatorId", originator.ToString());
        }
        WriteStrings("clusterList", a.ClusterList.Select(c => c.ToString()));
        WriteStrings("extendedCommunities", a.ExtendedCommunities.Select(c => c.ToString()));
        if (a.PmsiTunnel is { } pmsi)
        {
            j.WriteStartObject("pmsiTunnel");
            j.WriteNumber("flags", pmsi.Flags);
            j.WriteNumber("tunnelType", pmsi.TunnelType);
            j.WriteNumber("label", pmsi.Label);
            j.WriteString("tunnelId", pmsi.Endpoint?.ToString() ?? Convert.ToHexString(pmsi.TunnelIdentifier.Span).ToLowerInvariant());
            j.WriteEndObject();
        }
        WriteStrings("largeCommunities", a.LargeCommunities.Select(c => c.ToString()));
        if (!a.Unrecognized.IsEmpty)
        {
            j.WriteStartArray("unrecognized");
            foreach (var raw in a.Unrecognized)
            {
                j.WriteStartObject();
                j.WriteNumber("type", raw.TypeCode);
                j.WriteNumber("flags", raw.Flags);
                j.WriteString("value", Convert.ToHexString(raw.Value.AsSpan()).ToLowerInvariant());
                j.WriteEndObject();
            }
            j.WriteEndArray();
        }
        j.WriteEndObject();
        WriteNlriList("withdrawn", update.Withdrawn, a.IsVxlan);
        WriteNlriList("nlri", update.Nlri, a.IsVxlan);
        if (update.MpReach is { } reach)
        {
            j.WriteStartObject("mpReach");
            j.WriteString("family", reach.Family.ToString());
            j.WriteString("nextHop", reach.NextHop.ToString());
            if (reach.LinkLocalNextHop is { } ll)
            {
                j.WriteString("linkLocalNextHop", ll.ToString());
            }
            WriteNlriList("nlri", reach.Nlri, a.IsVxlan);
            j.WriteEndObject();
        }
        if (update.MpUnreach is { } unreach)
        {
            j.WriteStartObject("mpUnreach");
            j.WriteString("family", unreach.Family.ToString());
            WriteNlriList("nlri", unreach.Nlri, a.IsVxlan);
            j.WriteEndObject();
        }
    }

    private void WriteStrings(string name, IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return;
        }
        _json.WriteStartArray(name);
        foreach (var v in list)
        {
            _json.WriteStringValue(v);
        }
        _json.WriteEndArray();
    }

    private void WriteNlriList(string name, EquatableArray<Nlri> list, bool vxlan)
    {
        if (list.IsEmpty)
        {
            return;
        }
        var j = _json;
        j.WriteStartArray(name);
        foreach (var n in list)
        {
            j.WriteStartObject();
            if (n.PathId != 0)
            {
                j.WriteNumber("pathId", n.PathId);
            }
            if (n.Evpn is { } route)
            {
                WriteRoute(route, vxlan);
            }
            else
            {
                j.WriteString("prefix", n.Prefix.ToString());
            }
            j.WriteEndObject();
        }
        j.WriteEndArray();
    }

    private void WriteRoute(EvpnRoute route, bool vxlan)
    {
        var j = _json;
        j.WriteNumber("routeType", (byte)route.Type);
        j.WriteString("rd", route.Rd.ToString());
        switch (route)
        {
            case EthernetAutoDiscoveryRoute r:
                j.WriteString("esi", r.Esi.ToString());
                j.WriteNumber("ethernetTag", r.EthernetTag);
                WriteLabel("label", r.Label, vxlan);
                break;
            case MacIpAdvertisementRoute r:
                j.WriteString("esi", r.Esi.ToString());
                j.WriteNumber("ethernetTag", r.EthernetTag);
                j.WriteString("mac", r.Mac.ToString());
                if (r.Ip is { } ip)
                {
                    j.WriteString("ip", ip.ToString());
                }
                WriteLabel("label1", r.Label1, vxlan);
                if (r.Label2 is { } l2)
                {
                    WriteLabel("label2", l2, vxlan);
                }
                break;
            case InclusiveMulticastRoute r:
                j.WriteNumber("ethernetTag", r.EthernetTag);
                j.WriteString("originator", r.OriginatorIp.ToString());
                break;
            case EthernetSegmentRoute r:
                j.WriteString("esi", r.Esi.ToString());
                j.WriteString("originator", r.OriginatorIp.ToString());
                break;
            case IpPrefixRoute r:
                j.WriteString("esi", r.Esi.ToString());
                j.WriteNumber("ethernetTag", r.EthernetTag);
                j.WriteString("prefix", $"{r.Prefix}/{r.PrefixLength}");
                j.WriteString("gateway", r.Gateway.ToString());
                WriteLabel("label", r.Label, vxlan);
                break;
        }
    }

    private void WriteLabel(string name, uint raw, bool vxlan)
    {
        _json.WriteNumber(name, raw);
        if (vxlan)
        {
            _json.WriteNumber(name + "Vni", EvpnLabel.ToVni(raw));
        }
        else
        {
            _json.WriteNumber(name + "Mpls", EvpnLabel.ToMpls(raw));
        }
    }

    public void Complete()
    {
        _json.WriteEndArray();
        _json.Flush();
        _output.WriteLine(Encoding.UTF8.GetString(_buffer.ToArray()));
        _output.Flush();
    }
}
