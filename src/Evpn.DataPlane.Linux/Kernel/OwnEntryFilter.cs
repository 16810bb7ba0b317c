using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>A socket filter for the notification socket that drops, inside the kernel, the notifications
/// of VXLAN FDB entries evpnd itself installs (AF_BRIDGE, NTF_SELF and NTF_EXT_LEARNED). A batch of 100,000
/// remote MACs would otherwise queue 100,000 notifications that the watcher reads only to ignore, and
/// overflow the socket. The bridge's own notifications (no NTF_SELF) still pass: they tell when a MAC moves
/// between a local port and the VXLAN port.</summary>
/// <remarks>Classic BPF loads are big-endian while netlink headers are in host order (little-endian on
/// the x86-64 and arm64 hosts evpnd runs on): RTM_NEWNEIGH (28) reads as 0x1C00.</remarks>
internal static class OwnEntryFilter
{
    private const ushort LoadByte = 0x30;      // BPF_LD | BPF_B | BPF_ABS
    private const ushort LoadHalf = 0x28;      // BPF_LD | BPF_H | BPF_ABS
    private const ushort JumpIfEqual = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort And = 0x54;           // BPF_ALU | BPF_AND | BPF_K
    private const ushort Return = 0x06;        // BPF_RET | BPF_K

    private const uint NdmFamilyOffset = Rtnl.NlMsgHdrLength;
    private const uint NdmFlagsOffset = Rtnl.NlMsgHdrLength + 10;
    private const uint TypeOffset = 4;
    private const uint OwnFlags = Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED;

    public static LibC.SockFilter[] Program() =>
    [
        Instruction(LoadByte, NdmFamilyOffset),                          // 0: A = family
        Instruction(JumpIfEqual, Rtnl.AF_BRIDGE, 0, 6),                  // 1: not AF_BRIDGE -> accept
        Instruction(LoadHalf, TypeOffset),                               // 2: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_NEWNEIGH << 8, 1, 0),    // 3: RTM_NEWNEIGH -> flags
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_DELNEIGH << 8, 0, 3),    // 4: neither -> accept
        Instruction(LoadByte, NdmFlagsOffset),                           // 5: A = ndm_flags
        Instruction(And, OwnFlags),                                      // 6: A &= SELF | EXT_LEARNED
        Instruction(JumpIfEqual, OwnFlags, 1, 0),                        // 7: both -> drop
        Instruction(Return, uint.MaxValue),                              // 8: accept the whole message
        Instruction(Return, 0),                                          // 9: drop
    ];

    private static LibC.SockFilter Instruction(ushort code, uint k, byte jumpTrue = 0, byte jumpFalse = 0) =>
        new() { Code = code, K = k, JumpTrue = jumpTrue, JumpFalse = jumpFalse };
}
