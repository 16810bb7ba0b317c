using Evpn.DataPlane.Linux.Netlink;
using static Evpn.DataPlane.Linux.Netlink.ClassicBpf;

namespace Evpn.FdbWatch;

/// <summary>A socket filter for the watch's notification socket that passes, inside the kernel, only what the
/// count is made of: FDB notifications of VXLAN devices (family AF_BRIDGE with NTF_SELF, which the VXLAN driver
/// sets and the bridge's copies of the same MACs do not). A MAC+IP load otherwise brings a bridge copy and an
/// ARP/ND entry per route, and a withdrawal of an ARP/ND entry two more (it goes FAILED, then is deleted): the
/// watch read about three notifications for each one it counts, on the cores the receiver it times runs on.</summary>
internal static class VxlanFdbFilter
{
    public static LibC.SockFilter[] Program() =>
    [
        Instruction(LoadHalf, TypeOffset),                               // 0: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_NEWNEIGH), 1, 0),  // 1: RTM_NEWNEIGH -> family
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_DELNEIGH), 0, 6),  // 2: neither -> drop
        Instruction(LoadByte, NdmFamilyOffset),                          // 3: A = ndm_family
        Instruction(JumpIfEqual, Rtnl.AF_BRIDGE, 0, 4),                  // 4: not AF_BRIDGE -> drop
        Instruction(LoadByte, NdmFlagsOffset),                           // 5: A = ndm_flags
        Instruction(And, Rtnl.NTF_SELF),                                 // 6: A &= NTF_SELF
        Instruction(JumpIfEqual, Rtnl.NTF_SELF, 0, 1),                   // 7: unset -> drop
        Instruction(Return, Accept),                                     // 8: accept the whole message
        Instruction(Return, 0),                                          // 9: drop
    ];
}
