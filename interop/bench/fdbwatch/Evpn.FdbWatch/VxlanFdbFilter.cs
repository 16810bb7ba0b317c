using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.FdbWatch;

/// <summary>A socket filter for the watch's notification socket that passes, inside the kernel, only what the
/// count is made of: FDB notifications of VXLAN devices (family AF_BRIDGE with NTF_SELF, which the VXLAN driver
/// sets and the bridge's copies of the same MACs do not). A MAC+IP load otherwise brings a bridge copy and an
/// ARP/ND entry per route, and a withdrawal of an ARP/ND entry two more (it goes FAILED, then is deleted): the
/// watch read about three notifications for each one it counts, on the cores the receiver it times runs on.</summary>
/// <remarks>Classic BPF loads are big-endian while netlink headers are in host order (little-endian on x86-64
/// and arm64): RTM_NEWNEIGH (28) reads as 0x1C00.</remarks>
internal static class VxlanFdbFilter
{
    private const ushort LoadByte = 0x30;      // BPF_LD | BPF_B | BPF_ABS
    private const ushort LoadHalf = 0x28;      // BPF_LD | BPF_H | BPF_ABS
    private const ushort JumpIfEqual = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort And = 0x54;           // BPF_ALU | BPF_AND | BPF_K
    private const ushort Return = 0x06;        // BPF_RET | BPF_K

    private const uint TypeOffset = 4;
    private const uint NdmFamilyOffset = Rtnl.NlMsgHdrLength;
    private const uint NdmFlagsOffset = Rtnl.NlMsgHdrLength + 10;

    public static LibC.SockFilter[] Program() =>
    [
        Instruction(LoadHalf, TypeOffset),                               // 0: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_NEWNEIGH << 8, 1, 0),    // 1: RTM_NEWNEIGH -> family
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_DELNEIGH << 8, 0, 6),    // 2: neither -> drop
        Instruction(LoadByte, NdmFamilyOffset),                          // 3: A = ndm_family
        Instruction(JumpIfEqual, Rtnl.AF_BRIDGE, 0, 4),                  // 4: not AF_BRIDGE -> drop
        Instruction(LoadByte, NdmFlagsOffset),                           // 5: A = ndm_flags
        Instruction(And, Rtnl.NTF_SELF),                                 // 6: A &= NTF_SELF
        Instruction(JumpIfEqual, Rtnl.NTF_SELF, 0, 1),                   // 7: unset -> drop
        Instruction(Return, uint.MaxValue),                              // 8: accept the whole message
        Instruction(Return, 0),                                          // 9: drop
    ];

    private static LibC.SockFilter Instruction(ushort code, uint k, byte jumpTrue = 0, byte jumpFalse = 0) =>
        new() { Code = code, K = k, JumpTrue = jumpTrue, JumpFalse = jumpFalse };
}
