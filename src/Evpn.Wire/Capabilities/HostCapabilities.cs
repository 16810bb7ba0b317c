namespace Evpn.Wire;

/// <summary>The FQDN capability FRR sends (draft-walton-bgp-hostname-capability section 3): a
/// length-prefixed host name then a length-prefixed domain name.</summary>
public sealed record FqdnCapability(string HostName, string DomainName) : Capability
{
    public override byte Code => CapabilityCode.Fqdn;
}

/// <summary>The software version capability (draft-abraitis-bgp-version-capability section 3): a
/// length-prefixed UTF-8 string.</summary>
public sealed record SoftwareVersionCapability(string Version) : Capability
{
    public override byte Code => CapabilityCode.SoftwareVersion;
}
