using Evpn.DataPlane.Linux.Netlink;
using static Evpn.DataPlane.Linux.Netlink.ClassicBpf;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>A socket filter for the notification socket that drops, inside the kernel, the notifications
/// of extern_learn neighbor and FDB entries (NTF_EXT_LEARNED, any family): the VXLAN and bridge entries and the
/// SVI neighbor entries evpnd installs. A batch of 100,000 remote MACs would otherwise queue a notification per
/// entry that the watcher reads only to ignore, a system call each.
/// What the watcher needs from the kernel still passes: entries learned on local ports, and a MAC the bridge
/// takes over from the VXLAN port (the kernel clears the extern_learn mark when it learns the MAC locally).
/// What those dropped notifications told the watcher (a local MAC is now remote), the writer tells it before
/// it installs (<see cref="KernelWatcher.Installing"/>).</summary>
internal static class OwnEntryFilter
{
    public static LibC.SockFilter[] Program() =>
    [
        Instruction(LoadHalf, TypeOffset),                               // 0: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_NEWNEIGH), 1, 0),  // 1: RTM_NEWNEIGH -> flags
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_DELNEIGH), 0, 3),  // 2: neither -> accept
        Instruction(LoadByte, NdmFlagsOffset),                           // 3: A = ndm_flags
        Instruction(And, Rtnl.NTF_EXT_LEARNED),                          // 4: A &= EXT_LEARNED
        Instruction(JumpIfEqual, Rtnl.NTF_EXT_LEARNED, 1, 0),            // 5: set -> drop
        Instruction(Return, Accept),                                     // 6: accept the whole message
        Instruction(Return, 0),                                          // 7: drop
    ];
}
