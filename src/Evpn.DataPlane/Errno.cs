namespace Evpn.DataPlane;

/// <summary>The Linux errno values the data plane reports in <see cref="IntentFailure.ErrorCode"/>
/// (positive). The in-memory data plane uses the same codes for the same situations.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EOPNOTSUPP = 95;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;

    /// <summary>Errors that can go away on their own: the device may come back, the table may drain,
    /// memory may free up. Others (EINVAL, EPERM, EOPNOTSUPP) would fail the same way again.</summary>
    public static bool IsTransient(int code) =>
        code is ENODEV or EIO or ENXIO or ENOSPC or ENOBUFS or ENOMEM or EAGAIN or EBUSY or ETIMEDOUT;

    public static string Describe(int code) => code switch
    {
        0 => "ok",
        EPERM => "operation not permitted",
        ENOENT => "no such entry",
        EIO => "data plane unreachable",
        ENXIO => "no such device or address",
        EAGAIN => "try again",
        ENOMEM => "out of memory",
        EBUSY => "device busy",
        EEXIST => "entry exists",
        ENODEV => "no such device (VXLAN device or SVI missing)",
        EINVAL => "invalid argument",
        ENOSPC => "table full",
        EOPNOTSUPP => "operation not supported",
        ENOBUFS => "no buffer space (table full)",
        ETIMEDOUT => "no answer from the kernel",
        _ => "errno " + code,
    };
}
