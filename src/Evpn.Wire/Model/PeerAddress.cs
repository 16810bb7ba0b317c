using System.Net;
using System.Net.Sockets;

namespace Evpn.Wire.Model;

/// <summary>Who a BGP peer is, the one key for it from the session through the RIB and the EVPN core to show
/// commands and metrics: its address and, for an IPv6 link-local address (an interface neighbor), the index of
/// the interface it is on. A link-local address means something only on its link (RFC 4007 section 6), so the
/// same address on two interfaces is two peers. Sockets speak <see cref="IPAddress"/>: <see cref="FromSocket"/>
/// and <see cref="ToSocketAddress"/> are the one crossing between the two.</summary>
public readonly record struct PeerAddress : IComparable<PeerAddress>
{
    /// <summary>A peer at <paramref name="ip"/>; <paramref name="scopeId"/> (an interface index) counts only for
    /// an IPv6 link-local address and is dropped for any other.</summary>
    public PeerAddress(IpAddr ip, uint scopeId = 0)
    {
        Ip = ip;
        ScopeId = IsLinkLocalAddress(ip) ? scopeId : 0;
    }

    public IpAddr Ip { get; }

    /// <summary>The interface index of a link-local address; 0 for a global address (or an unscoped one).</summary>
    public uint ScopeId { get; }

    public bool IsLinkLocal => IsLinkLocalAddress(Ip);

    /// <summary>A configured or learned global address is a peer address as it is.</summary>
    public static implicit operator PeerAddress(IpAddr ip) => new(ip);

    /// <summary>The peer a socket address stands for: a dual-stack socket's <c>::ffff:a.b.c.d</c> is the IPv4
    /// peer, and a link-local address keeps its scope.</summary>
    public static PeerAddress FromSocket(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var scope = address.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)address.ScopeId : 0;
        return new PeerAddress(IpAddr.FromIPAddress(address), scope);
    }

    /// <summary>The address to connect to, bind a TCP-MD5 key to, or compare with a socket's.</summary>
    public IPAddress ToSocketAddress()
    {
        var address = Ip.ToIPAddress();
        if (ScopeId != 0)
        {
            address.ScopeId = ScopeId;
        }
        return address;
    }

    /// <summary>Reads <c>192.0.2.1</c>, <c>2001:db8::1</c> or <c>fe80::1%3</c> (scope as an interface index).</summary>
    public static bool TryParse(string text, out PeerAddress address)
    {
        if (IpAddr.TryParse(text, out var ip, out var zone))
        {
            address = new PeerAddress(ip.Unmapped, zone ?? 0);
            return true;
        }
        address = default;
        return false;
    }

    public static PeerAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not a peer address");

    /// <summary>By address (RFC 4271 section 9.1.2.2 g breaks ties on the lower peer address), then by scope.</summary>
    public int CompareTo(PeerAddress other)
    {
        var byAddress = Ip.CompareTo(other.Ip);
        return byAddress != 0 ? byAddress : ScopeId.CompareTo(other.ScopeId);
    }

    /// <summary>As <see cref="IPAddress"/> prints it: <c>fe80::1%3</c> for a scoped link-local address.</summary>
    public override string ToString() => ScopeId == 0 ? Ip.ToString() : $"{Ip}%{ScopeId}";

    /// <summary>fe80::/10 (RFC 4291 section 2.5.6).</summary>
    private static bool IsLinkLocalAddress(IpAddr ip) => ip.IsV6 && (ip.V6Bits >> 118) == 0x3FA;
}
