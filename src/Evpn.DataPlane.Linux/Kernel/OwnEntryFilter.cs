using Evpn.DataPlane.Linux.Netlink;
using static Evpn.DataPlane.Linux.Netlink.ClassicBpf;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>A socket filter for the notification socket that drops, inside the kernel, the notifications
/// of evpnd's own entries: extern_learn neighbor and FDB entries (NTF_EXT_LEARNED, any family), that is the
/// VXLAN and bridge entries and the SVI neighbor entries evpnd installs, and the two a removal of such a
/// neighbor entry causes, which no longer carry the mark (the kernel clears it on an administrative delete).
/// A batch of 100,000 remote MACs would otherwise queue a notification per entry that the watcher reads only
/// to ignore, a system call each.
/// What the watcher needs from the kernel still passes: entries learned on local ports, and a MAC the bridge
/// takes over from the VXLAN port (the kernel clears the extern_learn mark when it learns the MAC locally).
/// What those dropped notifications told the watcher (a local MAC is now remote), the writer tells it before
/// it installs (<see cref="KernelWatcher.Installing"/>).</summary>
internal static class OwnEntryFilter
{
    /// <param name="requestsPortId">The port id of the socket evpnd writes its entries through: a neighbor
    /// removal it asks for is notified with that id, as an RTM_NEWNEIGH in state FAILED, and then by the
    /// kernel (id 0) as an RTM_DELNEIGH in state FAILED. The second needs no id: an ARP/ND entry reaches FAILED
    /// only through a change that was notified already (and that the watcher took as the IP gone), so its
    /// deletion tells the watcher nothing new. 0: no such socket.</param>
    public static LibC.SockFilter[] Program(uint requestsPortId) =>
    [
        Instruction(LoadHalf, TypeOffset),                                            // 0: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_NEWNEIGH), 1, 0),               // 1: RTM_NEWNEIGH -> flags
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_DELNEIGH), 0, 11),              // 2: neither -> accept
        Instruction(LoadByte, NdmFlagsOffset),                                        // 3: A = ndm_flags
        Instruction(And, Rtnl.NTF_EXT_LEARNED),                                       // 4: A &= EXT_LEARNED
        Instruction(JumpIfEqual, Rtnl.NTF_EXT_LEARNED, 9, 0),                         // 5: set -> drop
        Instruction(LoadWord, PortIdOffset),                                          // 6: A = nlmsg_pid (swapped)
        Instruction(JumpIfEqual, SwappedWord(requestsPortId), requestsPortId == 0 ? (byte)0 : (byte)7, 0), // 7: ours -> drop
        Instruction(LoadHalf, TypeOffset),                                            // 8: A = nlmsg_type (swapped)
        Instruction(JumpIfEqual, SwappedType(Rtnl.RTM_DELNEIGH), 0, 4),               // 9: not a deletion -> accept
        Instruction(LoadByte, NdmFamilyOffset),                                       // 10: A = ndm_family
        Instruction(JumpIfEqual, Rtnl.AF_BRIDGE, 2, 0),                               // 11: FDB entry -> accept
        Instruction(LoadHalf, NdmStateOffset),                                        // 12: A = ndm_state (swapped)
        Instruction(JumpIfEqual, SwappedType(Rtnl.NUD_FAILED), 1, 0),                 // 13: FAILED -> drop
        Instruction(Return, Accept),                                                  // 14: accept the whole message
        Instruction(Return, 0),                                                       // 15: drop
    ];
}
