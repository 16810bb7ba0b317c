using System.Buffers.Binary;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>An interface address (RTM_NEWADDR/RTM_DELADDR, struct ifaddrmsg).</summary>
internal readonly record struct AddressRecord(int IfIndex, IpAddr Address)
{
    /// <summary>IPv6 link-local addresses (fe80::/10) belong to every interface and say nothing about the segment.</summary>
    public bool IsLinkLocal => Address.IsV6 && (Address.V6Bits >> 118) == 0x3FA;

    public static bool TryParse(in NetlinkMessage message, out AddressRecord record)
    {
        record = default;
        var payload = message.Payload;
        if (payload.Length < Rtnl.IfAddrMsgLength || payload[0] is not (Rtnl.AF_INET or Rtnl.AF_INET6))
        {
            return false;
        }
        IpAddr? address = null;
        IpAddr? local = null;
        foreach (var attribute in new AttributeReader(payload[Rtnl.IfAddrMsgLength..]))
        {
            if (attribute.Payload.Length is not (4 or 16))
            {
                continue;
            }
            switch (attribute.Type)
            {
                case Rtnl.IFA_ADDRESS:
                    address = IpAddr.Read(attribute.Payload);
                    break;
                case Rtnl.IFA_LOCAL:
                    local = IpAddr.Read(attribute.Payload);
                    break;
            }
        }
        // On point-to-point IPv4 links IFA_ADDRESS is the peer; IFA_LOCAL is always the interface's own.
        if ((local ?? address) is not { } own)
        {
            return false;
        }
        record = new AddressRecord((int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]), own);
        return true;
    }
}
