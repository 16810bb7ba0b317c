namespace Evpn.Wire.Model;

/// <summary>RFC 6514 section 5 PMSI Tunnel attribute: flags, tunnel type, 3-octet label, tunnel identifier.
/// EVPN type-3 routes over VXLAN use tunnel type 6 (ingress replication) with the VNI as label and
/// the originating VTEP's IP as identifier (RFC 8365 section 5.1.3).</summary>
public sealed record PmsiTunnel(byte Flags, byte TunnelType, uint Label, ReadOnlyMemory<byte> TunnelIdentifier)
{
    public const byte IngressReplication = 6;

    public static PmsiTunnel IngressReplicationTo(IpAddr vtep, uint vni)
    {
        var id = new byte[vtep.ByteLength];
        vtep.Write(id);
        return new PmsiTunnel(0, IngressReplication, EvpnLabel.FromVni(vni), id);
    }

    /// <summary>The tunnel endpoint when the identifier is an IPv4 or IPv6 address (4 or 16 octets; an
    /// IPv4-mapped IPv6 identifier is the IPv4 endpoint).</summary>
    public IpAddr? Endpoint => TunnelIdentifier.Length is 4 or 16 ? IpAddr.Read(TunnelIdentifier.Span).Unmapped : null;

    public bool Equals(PmsiTunnel? other) =>
        other is not null && Flags == other.Flags && TunnelType == other.TunnelType && Label == other.Label &&
        TunnelIdentifier.Span.SequenceEqual(other.TunnelIdentifier.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Flags);
        hash.Add(TunnelType);
        hash.Add(Label);
        hash.AddBytes(TunnelIdentifier.Span);
        return hash.ToHashCode();
    }
}
