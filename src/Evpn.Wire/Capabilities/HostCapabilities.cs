using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>The FQDN capability FRR sends (draft-walton-bgp-hostname-capability section 3): a
/// length-prefixed host name then a length-prefixed domain name.</summary>
public sealed record FqdnCapability(string HostName, string DomainName) : Capability
{
    public override byte Code => CapabilityCode.Fqdn;

    /// <summary>The peer's names, escaped (<see cref="PeerText"/>): what logs and evpnctl show.</summary>
    public string Shown => PeerText.Escape(DomainName.Length == 0 ? HostName : $"{HostName}.{DomainName}");

    public override string ToString() => $"FqdnCapability {{ {Shown} }}";
}

/// <summary>The software version capability (draft-abraitis-bgp-version-capability section 3): a
/// length-prefixed UTF-8 string.</summary>
public sealed record SoftwareVersionCapability(string Version) : Capability
{
    public override byte Code => CapabilityCode.SoftwareVersion;

    /// <summary>The peer's text, escaped (<see cref="PeerText"/>): what logs and evpnctl show.</summary>
    public string Shown => PeerText.Escape(Version);

    public override string ToString() => $"SoftwareVersionCapability {{ {Shown} }}";
}
