using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Turns intents into rtnetlink requests (what `bridge fdb` and `ip neigh` would send, the way
/// FRR's zebra programs the kernel for EVPN).</summary>
internal static class IntentEncoder
{
    /// <summary>VXLAN FDB entries: the VXLAN driver accepts only NUD_PERMANENT or NUD_REACHABLE, and ages
    /// anything without NUD_NOARP/NUD_PERMANENT; REACHABLE|NOARP with NTF_EXT_LEARNED is a remote entry that
    /// never ages and that a restarted evpnd recognises as its own.</summary>
    public const ushort RemoteFdbState = Rtnl.NUD_REACHABLE | Rtnl.NUD_NOARP;

    /// <summary>ARP/ND suppression entries on the SVI: static (no ARP/ND probing), marked extern_learn.</summary>
    public const ushort RemoteNeighborState = Rtnl.NUD_NOARP;

    public const ushort ReplaceFlags = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE;

    /// <summary>How the VXLAN part of an FDB entry is written.</summary>
    /// <param name="NexthopGroup">For an install: the VTEP's nexthop group (<see cref="VtepNexthops"/>), or 0 to
    /// name the VTEP as the entry's destination. An entry with a remote VNI always names its VTEP: the kernel
    /// refuses NDA_VNI beside NDA_NH_ID.</param>
    /// <param name="DeleteFirst">For an install: the kernel's entry for the MAC is of the other kind (destination
    /// or group), which a replace does not change (to a group it fails; to a destination it does nothing).</param>
    public readonly record struct FdbTarget(uint NexthopGroup, bool DeleteFirst);

    /// <summary>Writes the messages for <paramref name="intent"/>; returns how many. When it writes none,
    /// <paramref name="failure"/> says why (no usable device), or is OK for a removal whose device is gone:
    /// an entry cannot outlive its device, so there is nothing left to remove.</summary>
    /// <param name="fdb">How to write an FDB intent's VXLAN part; ignored for the others.</param>
    public static int Write(NetlinkWriter writer, DataPlaneIntent intent, VniTopology topology, FdbTarget fdb, ref uint sequence, out IntentOutcome failure)
    {
        failure = IntentOutcome.Ok;
        var vni = intent.Vni();
        if (!topology.ByVni.TryGetValue(vni, out var device))
        {
            failure = intent.IsRemoval() ? IntentOutcome.Ok : new IntentOutcome(Errno.ENODEV, $"no VXLAN device with VNI {vni}");
            return 0;
        }
        switch (intent)
        {
            case DataPlaneIntent.AddFdb a:
            {
                if (fdb.DeleteFirst)
                {
                    WriteRemoveVxlanFdb(writer, device.VxlanIndex, a.Entry.Mac, ref sequence);
                }
                // NTF_SELF programs the VXLAN device (MAC -> remote VTEP); NTF_MASTER in the same request adds
                // the bridge's entry pointing at the VXLAN port, so the bridge does not flood known MACs.
                var flags = (byte)(Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED | (device.BridgeIndex != 0 ? Rtnl.NTF_MASTER : 0));
                writer.BeginMessage(Rtnl.RTM_NEWNEIGH, ReplaceFlags, ++sequence);
                writer.WriteNdMsg(Rtnl.AF_BRIDGE, device.VxlanIndex, RemoteFdbState, flags);
                WriteMac(writer, a.Entry.Mac);
                if (fdb.NexthopGroup != 0)
                {
                    writer.WriteAttributeU32(Rtnl.NDA_NH_ID, fdb.NexthopGroup);
                }
                else
                {
                    WriteIp(writer, Rtnl.NDA_DST, a.Entry.Vtep);
                    WriteRemoteVni(writer, a.Entry.HasRemoteVni, a.Entry.RemoteVni);
                }
                writer.EndMessage();
                return fdb.DeleteFirst ? 2 : 1;
            }
            case DataPlaneIntent.RemoveFdb r:
            {
                // Two requests: the kernel stops at the first failing part of a combined one, and the bridge
                // part fails when the MAC has meanwhile been learned on a local port (which must stay).
                WriteRemoveVxlanFdb(writer, device.VxlanIndex, r.Entry.Mac, ref sequence);
                if (device.BridgeIndex == 0)
                {
                    return 1;
                }
                writer.BeginMessage(Rtnl.RTM_DELNEIGH, Rtnl.NLM_F_REQUEST, ++sequence);
                writer.WriteNdMsg(Rtnl.AF_BRIDGE, device.VxlanIndex, 0, Rtnl.NTF_MASTER);
                WriteMac(writer, r.Entry.Mac);
                writer.EndMessage();
                return 2;
            }
            case DataPlaneIntent.AddFlood a:
                // RFC 7432 section 11 (inclusive multicast) with ingress replication: one all-zero MAC entry per remote VTEP, appended.
                writer.BeginMessage(Rtnl.RTM_NEWNEIGH, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_APPEND, ++sequence);
                writer.WriteNdMsg(Rtnl.AF_BRIDGE, device.VxlanIndex, Rtnl.NUD_PERMANENT | Rtnl.NUD_NOARP, Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED);
                WriteMac(writer, MacAddress.Zero);
                WriteIp(writer, Rtnl.NDA_DST, a.Entry.Vtep);
                WriteRemoteVni(writer, a.Entry.HasRemoteVni, a.Entry.RemoteVni);
                writer.EndMessage();
                return 1;
            case DataPlaneIntent.RemoveFlood r:
                // With NDA_DST only that VTEP's destination goes; the other VTEPs of the list stay. The kernel
                // matches the destination's VNI too, so one with a remote VNI is named with it.
                writer.BeginMessage(Rtnl.RTM_DELNEIGH, Rtnl.NLM_F_REQUEST, ++sequence);
                writer.WriteNdMsg(Rtnl.AF_BRIDGE, device.VxlanIndex, 0, Rtnl.NTF_SELF);
                WriteMac(writer, MacAddress.Zero);
                WriteIp(writer, Rtnl.NDA_DST, r.Entry.Vtep);
                WriteRemoteVni(writer, r.Entry.HasRemoteVni, r.Entry.RemoteVni);
                writer.EndMessage();
                return 1;
            case DataPlaneIntent.AddNeighbor a:
                if (device.BridgeIndex == 0)
                {
                    failure = new IntentOutcome(Errno.ENODEV, $"VNI {vni} has no bridge (SVI) for neighbor entries");
                    return 0;
                }
                writer.BeginMessage(Rtnl.RTM_NEWNEIGH, ReplaceFlags, ++sequence);
                writer.WriteNdMsg(a.Entry.Ip.IsV6 ? Rtnl.AF_INET6 : Rtnl.AF_INET, device.BridgeIndex, RemoteNeighborState, Rtnl.NTF_EXT_LEARNED);
                WriteIp(writer, Rtnl.NDA_DST, a.Entry.Ip);
                WriteMac(writer, a.Entry.Mac);
                writer.EndMessage();
                return 1;
            case DataPlaneIntent.RemoveNeighbor r:
                if (device.BridgeIndex == 0)
                {
                    return 0;
                }
                writer.BeginMessage(Rtnl.RTM_DELNEIGH, Rtnl.NLM_F_REQUEST, ++sequence);
                writer.WriteNdMsg(r.Entry.Ip.IsV6 ? Rtnl.AF_INET6 : Rtnl.AF_INET, device.BridgeIndex, 0, 0);
                WriteIp(writer, Rtnl.NDA_DST, r.Entry.Ip);
                writer.EndMessage();
                return 1;
            default:
                failure = new IntentOutcome(Errno.EINVAL, "unknown intent");
                return 0;
        }
    }

    /// <summary>Removes a MAC's entry from a VXLAN device, whatever it points to. A destination in the request
    /// would have to match the entry's: an entry pointing to a group has none (the kernel answers success and
    /// deletes nothing), and one pointed elsewhere behind evpnd's back would be answered ENOENT and stay. The
    /// writer sends a removal only for the location it installed last, so the entry there is evpnd's.</summary>
    private static void WriteRemoveVxlanFdb(NetlinkWriter writer, int vxlanIndex, MacAddress mac, ref uint sequence)
    {
        writer.BeginMessage(Rtnl.RTM_DELNEIGH, Rtnl.NLM_F_REQUEST, ++sequence);
        writer.WriteNdMsg(Rtnl.AF_BRIDGE, vxlanIndex, 0, Rtnl.NTF_SELF);
        WriteMac(writer, mac);
        writer.EndMessage();
    }

    /// <summary>NDA_VNI: the VNI the entry's frames carry, written only when it is not the device's own (the
    /// kernel's default, which it also leaves out of its dumps).</summary>
    private static void WriteRemoteVni(NetlinkWriter writer, bool differs, uint remoteVni)
    {
        if (differs)
        {
            writer.WriteAttributeU32(Rtnl.NDA_VNI, remoteVni);
        }
    }

    private static void WriteMac(NetlinkWriter writer, MacAddress mac)
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Length];
        mac.Write(bytes);
        writer.WriteAttribute(Rtnl.NDA_LLADDR, bytes);
    }

    private static void WriteIp(NetlinkWriter writer, ushort type, IpAddr ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.Write(bytes);
        writer.WriteAttribute(type, bytes[..ip.ByteLength]);
    }

    /// <summary>Turns on neigh_suppress on a bridge port (`bridge link set dev X neigh_suppress on`):
    /// RTM_SETLINK, family AF_BRIDGE, IFLA_PROTINFO { IFLA_BRPORT_NEIGH_SUPPRESS = 1 }.</summary>
    public static void WriteNeighSuppress(NetlinkWriter writer, int portIndex, bool on, uint sequence)
    {
        writer.BeginMessage(Rtnl.RTM_SETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, sequence);
        writer.WriteIfInfoMsg(Rtnl.AF_BRIDGE, portIndex);
        var protinfo = writer.BeginNested(Rtnl.IFLA_PROTINFO);
        writer.WriteAttributeU8(Rtnl.IFLA_BRPORT_NEIGH_SUPPRESS, on ? (byte)1 : (byte)0);
        writer.EndNested(protinfo);
        writer.EndMessage();
    }
}
