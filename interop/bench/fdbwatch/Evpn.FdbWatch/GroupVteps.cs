using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.FdbWatch;

/// <summary>The VTEP behind each FDB nexthop group that VXLAN entries point to (`nhid G`, how evpnd installs
/// remote MACs: a group of one nexthop whose gateway is the VTEP), asked of the kernel the first time a group
/// is seen. The installer makes a group before the entries that use it, so the answer is there when the
/// first entry's notification is read.</summary>
internal sealed class GroupVteps(NetlinkSocket lookups) : IDisposable
{
    private readonly Dictionary<uint, IpAddr> _known = [];
    private readonly byte[] _receive = new byte[16 * 1024];
    private uint _sequence;

    /// <summary>The group's VTEP, or null when the group is gone or is not a group of one FDB nexthop.</summary>
    public IpAddr? VtepOf(uint group)
    {
        if (_known.TryGetValue(group, out var known))
        {
            return known;
        }
        if (Get(group) is not { IsFdb: true, Members: [var member] } || Get(member) is not { Gateway: { } vtep })
        {
            return null;
        }
        _known[group] = vtep;
        return vtep;
    }

    /// <summary>RTM_GETNEXTHOP for one id: the kernel answers with the object or an error.</summary>
    private NexthopRecord? Get(uint id)
    {
        var request = new NetlinkWriter(64);
        var sequence = ++_sequence;
        request.BeginMessage(Rtnl.RTM_GETNEXTHOP, Rtnl.NLM_F_REQUEST, sequence);
        request.WriteNhMsg(Rtnl.AF_UNSPEC, 0);
        request.WriteAttributeU32(Rtnl.NHA_ID, id);
        request.EndMessage();
        lookups.Send(request.Written);
        while (true)
        {
            var length = lookups.Receive(_receive);
            foreach (var message in new NetlinkReader(_receive.AsSpan(0, length)))
            {
                if (message.Sequence != sequence)
                {
                    continue;
                }
                return message.Type == Rtnl.RTM_NEWNEXTHOP && NexthopRecord.TryParse(message, out var record) ? record : null;
            }
        }
    }

    public void Dispose() => lookups.Dispose();
}
