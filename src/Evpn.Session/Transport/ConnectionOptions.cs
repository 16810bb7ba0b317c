using System.Net;

namespace Evpn.Session.Transport;

/// <summary>How the TCP connection to one peer is made and protected.</summary>
/// <param name="Password">RFC 2385 TCP-MD5 key, or null.</param>
/// <param name="TtlSecurityHops">RFC 5082 GTSM: the peer is at most this many hops away; null disables GTSM.</param>
/// <param name="MultihopTtl">eBGP multihop: the TTL to send with; null means 1 for eBGP (directly connected) and 255 for iBGP.</param>
public sealed record ConnectionOptions(
    IPAddress RemoteAddress,
    int RemotePort = 179,
    IPAddress? SourceAddress = null,
    string? Password = null,
    int? TtlSecurityHops = null,
    int? MultihopTtl = null)
{
    /// <summary>The TTL for outgoing segments, when GTSM is off.</summary>
    public int OutgoingTtl(bool ebgp) => MultihopTtl ?? (ebgp ? 1 : 255);

    /// <summary>Every member, but the TCP-MD5 key only as whether it is set.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("RemoteAddress = ").Append(RemoteAddress).Append(", RemotePort = ").Append(RemotePort)
            .Append(", SourceAddress = ").Append(SourceAddress)
            .Append(", Password = ").Append(Password is null ? "" : "(set, not shown)")
            .Append(", TtlSecurityHops = ").Append(TtlSecurityHops).Append(", MultihopTtl = ").Append(MultihopTtl);
        return true;
    }
}
