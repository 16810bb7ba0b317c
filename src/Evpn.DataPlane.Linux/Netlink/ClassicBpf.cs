namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>The few classic BPF instructions the netlink socket filters use (linux/filter.h), and the offsets
/// of the fields they read. Classic BPF loads are big-endian while netlink headers are in host order
/// (little-endian on the x86-64 and arm64 hosts evpnd runs on): a 16-bit nlmsg_type compares as its bytes
/// swapped, RTM_NEWNEIGH (28) as 0x1C00 (<see cref="SwappedType"/>).</summary>
internal static class ClassicBpf
{
    public const ushort LoadWord = 0x20;      // BPF_LD | BPF_W | BPF_ABS
    public const ushort LoadByte = 0x30;      // BPF_LD | BPF_B | BPF_ABS
    public const ushort LoadHalf = 0x28;      // BPF_LD | BPF_H | BPF_ABS
    public const ushort JumpIfEqual = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort And = 0x54;           // BPF_ALU | BPF_AND | BPF_K
    public const ushort Return = 0x06;        // BPF_RET | BPF_K

    /// <summary>Returned to keep the whole message; 0 drops it.</summary>
    public const uint Accept = uint.MaxValue;

    public const uint TypeOffset = 4;
    public const uint PortIdOffset = 12;
    public const uint NdmFamilyOffset = Rtnl.NlMsgHdrLength;
    public const uint NdmStateOffset = Rtnl.NlMsgHdrLength + 8;
    public const uint NdmFlagsOffset = Rtnl.NlMsgHdrLength + 10;

    /// <summary>A 16-bit field (nlmsg_type, ndm_state) as a half-word load sees it.</summary>
    public static uint SwappedType(ushort type) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(type);

    /// <summary>A 32-bit field (nlmsg_pid) as a word load sees it.</summary>
    public static uint SwappedWord(uint value) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);

    /// <param name="jumpTrue">Instructions to skip when a jump's test holds (0: the next one).</param>
    /// <param name="jumpFalse">Instructions to skip when it does not.</param>
    public static LibC.SockFilter Instruction(ushort code, uint k, byte jumpTrue = 0, byte jumpFalse = 0) =>
        new() { Code = code, K = k, JumpTrue = jumpTrue, JumpFalse = jumpFalse };
}
