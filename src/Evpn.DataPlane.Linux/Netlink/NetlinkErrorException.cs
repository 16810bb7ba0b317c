namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>The kernel refused a netlink request: <see cref="Error"/> is its errno (positive).</summary>
internal sealed class NetlinkErrorException(int error, string message) : IOException(message)
{
    public int Error { get; } = error;
}
