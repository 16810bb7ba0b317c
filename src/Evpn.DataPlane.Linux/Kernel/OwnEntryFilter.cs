using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>A socket filter for the notification socket that drops, inside the kernel, the notifications
/// of extern_learn neighbor and FDB entries (NTF_EXT_LEARNED, any family): the VXLAN and bridge entries and the
/// SVI neighbor entries evpnd installs. A batch of 100,000 remote MACs would otherwise queue a notification per
/// entry that the watcher reads only to ignore (a recvmsg each: a quarter of evpnd's CPU in a 100k-route load).
/// What the watcher needs from the kernel still passes: entries learned on local ports, and a MAC the bridge
/// takes over from the VXLAN port (the kernel clears the extern_learn mark when it learns the MAC locally).
/// What those dropped notifications told the watcher (a local MAC is now remote), the writer tells it before
/// it installs (<see cref="KernelWatcher.Installing"/>).</summary>
/// <remarks>Classic BPF loads are big-endian while netlink headers are in host order (little-endian on
/// the x86-64 and arm64 hosts evpnd runs on): RTM_NEWNEIGH (28) reads as 0x1C00.</remarks>
internal static class OwnEntryFilter
{
    private const ushort LoadByte = 0x30;      // BPF_LD | BPF_B | BPF_ABS
    private const ushort LoadHalf = 0x28;      // BPF_LD | BPF_H | BPF_ABS
    private const ushort JumpIfEqual = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort And = 0x54;           // BPF_ALU | BPF_AND | BPF_K
    private const ushort Return = 0x06;        // BPF_RET | BPF_K

    private const uint NdmFlagsOffset = Rtnl.NlMsgHdrLength + 10;
    private const uint TypeOffset = 4;

    public static LibC.SockFilter[] Program() =>
    [
        Instruction(LoadHalf, TypeOffset),                               // 0: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_NEWNEIGH << 8, 1, 0),    // 1: RTM_NEWNEIGH -> flags
        Instruction(JumpIfEqual, (uint)Rtnl.RTM_DELNEIGH << 8, 0, 3),    // 2: neither -> accept
        Instruction(LoadByte, NdmFlagsOffset),                           // 3: A = ndm_flags
        Instruction(And, Rtnl.NTF_EXT_LEARNED),                          // 4: A &= EXT_LEARNED
        Instruction(JumpIfEqual, Rtnl.NTF_EXT_LEARNED, 1, 0),            // 5: set -> drop
        Instruction(Return, uint.MaxValue),                              // 6: accept the whole message
        Instruction(Return, 0),                                          // 7: drop
    ];

    private static LibC.SockFilter Instruction(ushort code, uint k, byte jumpTrue = 0, byte jumpFalse = 0) =>
        new() { Code = code, K = k, JumpTrue = jumpTrue, JumpFalse = jumpFalse };
}
