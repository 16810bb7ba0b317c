namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>Numbers from linux/netlink.h, linux/rtnetlink.h, linux/neighbour.h, linux/if_link.h.</summary>
internal static class Rtnl
{
    // struct nlmsghdr types
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort RTM_NEWNEXTHOP = 104;
    public const ushort RTM_DELNEXTHOP = 105;
    public const ushort RTM_GETNEXTHOP = 106;

    // nlmsghdr flags
    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;
    /// <summary>On an NLMSG_ERROR: extended ack attributes (NLMSGERR_ATTR_*) follow the header.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    // RTMGRP_* multicast group bits (1 << (RTNLGRP_x - 1))
    public const uint RTMGRP_LINK = 0x1;
    public const uint RTMGRP_NEIGH = 0x4;
    public const uint RTMGRP_IPV4_IFADDR = 0x10;
    public const uint RTMGRP_IPV6_IFADDR = 0x100;

    // address families
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_BRIDGE = 7;
    public const byte AF_INET6 = 10;

    // neighbour table entry attributes (NDA_*)
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NDA_VNI = 7;
    public const ushort NDA_MASTER = 9;
    public const ushort NDA_NH_ID = 13;

    // nexthop object attributes (NHA_*, linux/nexthop.h)
    public const ushort NHA_ID = 1;
    public const ushort NHA_GROUP = 2;
    public const ushort NHA_GATEWAY = 6;
    public const ushort NHA_FDB = 11;
    /// <summary>struct nexthop_grp: u32 id, u8 weight (minus one), u8 weight_high, u16 reserved.</summary>
    public const int NexthopGroupEntryLength = 8;

    // ndm_flags (NTF_*)
    public const byte NTF_SELF = 0x02;
    public const byte NTF_MASTER = 0x04;
    public const byte NTF_EXT_LEARNED = 0x10;
    public const byte NTF_STICKY = 0x40;

    // ndm_state (NUD_*)
    public const ushort NUD_INCOMPLETE = 0x01;
    public const ushort NUD_REACHABLE = 0x02;
    public const ushort NUD_STALE = 0x04;
    public const ushort NUD_DELAY = 0x08;
    public const ushort NUD_PROBE = 0x10;
    public const ushort NUD_FAILED = 0x20;
    public const ushort NUD_NOARP = 0x40;
    public const ushort NUD_PERMANENT = 0x80;

    // link attributes (IFLA_*)
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_PROTINFO = 12;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_INFO_SLAVE_KIND = 4;
    public const ushort IFLA_INFO_SLAVE_DATA = 5;

    public const ushort IFLA_VXLAN_ID = 1;
    public const ushort IFLA_VXLAN_LOCAL = 4;
    public const ushort IFLA_VXLAN_LEARNING = 7;
    public const ushort IFLA_VXLAN_PORT = 15;
    public const ushort IFLA_VXLAN_LOCAL6 = 17;
    public const ushort IFLA_VXLAN_COLLECT_METADATA = 25;
    public const ushort IFLA_VXLAN_VNIFILTER = 30;

    public const ushort IFLA_BRPORT_NEIGH_SUPPRESS = 32;

    // interface address attributes (IFA_*)
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;

    /// <summary>Marks an attribute whose payload is a list of attributes.</summary>
    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_TYPE_MASK = 0x3FFF;

    public const uint IFF_UP = 0x1;
    public const uint IFF_LOWER_UP = 0x10000;

    public const int NlMsgHdrLength = 16;
    public const int NdMsgLength = 12;
    public const int IfInfoMsgLength = 16;
    public const int IfAddrMsgLength = 8;
    public const int NhMsgLength = 8;

    public static int Align(int length) => (length + 3) & ~3;
}
