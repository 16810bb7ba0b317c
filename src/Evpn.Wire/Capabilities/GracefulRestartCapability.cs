using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>One family of the graceful restart capability: RFC 4724 section 3, flags bit 0x80 =
/// forwarding state preserved.</summary>
public readonly record struct GracefulRestartFamily(AfiSafi Family, byte Flags)
{
    public const byte ForwardingPreservedFlag = 0x80;

    public bool ForwardingPreserved => (Flags & ForwardingPreservedFlag) != 0;

    public static GracefulRestartFamily Create(AfiSafi family, bool forwardingPreserved) =>
        new(family, forwardingPreserved ? ForwardingPreservedFlag : (byte)0);
}

/// <summary>RFC 4724 section 3 graceful restart capability.</summary>
/// <remarks>
///   +--------------------------------------------------+
///   | Restart Flags (4 bits) | Restart Time (12 bits)   |
///   +--------------------------------------------------+
///   | AFI (2) | SAFI (1) | Flags for Address Family (1) |  repeated
///   +--------------------------------------------------+
///   Restart flags: 0x8 = Restart State (R), 0x4 = Notification (N, RFC 8538 section 2).
/// </remarks>
public sealed record GracefulRestartCapability(byte RestartFlags, ushort RestartTime, EquatableArray<GracefulRestartFamily> Families) : Capability
{
    public const byte RestartStateFlag = 0x8;
    public const byte NotificationFlag = 0x4;
    public const ushort MaxRestartTime = 0xFFF;

    public override byte Code => CapabilityCode.GracefulRestart;

    public bool RestartState => (RestartFlags & RestartStateFlag) != 0;

    /// <summary>RFC 8538: the speaker supports graceful restart for BGP NOTIFICATION messages.</summary>
    public bool NotificationSupported => (RestartFlags & NotificationFlag) != 0;

    public static GracefulRestartCapability Create(ushort restartTime, bool restartState, bool notification, params GracefulRestartFamily[] families) =>
        new((byte)((restartState ? RestartStateFlag : 0) | (notification ? NotificationFlag : 0)), (ushort)Math.Min(restartTime, MaxRestartTime), families);
}

/// <summary>One family of the long-lived graceful restart capability (RFC 9494 section 3): flags
/// (0x80 = forwarding preserved) and a 24-bit long-lived stale time in seconds.</summary>
public readonly record struct LongLivedGracefulRestartFamily(AfiSafi Family, byte Flags, uint StaleTime)
{
    public const uint MaxStaleTime = 0xFF_FFFF;

    public bool ForwardingPreserved => (Flags & GracefulRestartFamily.ForwardingPreservedFlag) != 0;
}

/// <summary>RFC 9494 section 3 long-lived graceful restart capability: AFI (2), SAFI (1), flags (1),
/// long-lived stale time (3), repeated.</summary>
public sealed record LongLivedGracefulRestartCapability(EquatableArray<LongLivedGracefulRestartFamily> Families) : Capability
{
    public override byte Code => CapabilityCode.LongLivedGracefulRestart;
}
