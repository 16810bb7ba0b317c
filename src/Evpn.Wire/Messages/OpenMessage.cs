using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Optional parameter type 2 of OPEN (RFC 5492 section 4): one or more capabilities. It is the only
/// optional parameter type in use (type 1, authentication, is deprecated by RFC 5492). Speakers differ in how they
/// group capabilities into parameters (FRR: one per parameter; GoBGP: all in one), so the grouping is kept.</summary>
public sealed record CapabilitiesParameter(EquatableArray<Capability> Capabilities)
{
    public const byte ParameterType = 2;
}

/// <summary>OPEN, RFC 4271 section 4.2.</summary>
/// <remarks>
///   +---------+----------------+-----------+------------------+------------+--------------------+
///   | Version | My AS (2)      | Hold Time | BGP Identifier   | Opt Parm   | Optional           |
///   | (1)     |                | (2)       | (4)              | Len (1)    | Parameters         |
///   +---------+----------------+-----------+------------------+------------+--------------------+
///   RFC 9072: Opt Parm Len 255 followed by a parameter type 255 means "extended": a 2-octet
///   total length follows and every parameter has a 2-octet length.
/// </remarks>
public sealed record OpenMessage(byte Version, ushort MyAutonomousSystem, ushort HoldTime, uint BgpIdentifier, EquatableArray<CapabilitiesParameter> Parameters)
    : BgpMessage
{
    public const byte BgpVersion = 4;

    /// <summary>RFC 6793 section 9: the 2-octet placeholder for an AS that does not fit in 16 bits.</summary>
    public const ushort AsTrans = 23456;

    public override MessageType Type => MessageType.Open;

    /// <summary>RFC 9072 encoding of the optional parameters was used (or is required when encoding).</summary>
    public bool ExtendedParameters { get; init; }

    /// <summary>Builds an OPEN for <paramref name="asn"/> with all capabilities in one parameter; a 4-octet
    /// AS goes in the 4-octet AS capability with AS_TRANS in the My AS field (RFC 6793 section 4.1).</summary>
    public static OpenMessage Create(uint asn, ushort holdTime, uint bgpIdentifier, IEnumerable<Capability> capabilities)
    {
        var caps = capabilities.ToImmutableArray();
        var parameters = caps.IsEmpty
            ? ImmutableArray<CapabilitiesParameter>.Empty
            : ImmutableArray.Create(new CapabilitiesParameter(caps));
        return new OpenMessage(BgpVersion, asn > ushort.MaxValue ? AsTrans : (ushort)asn, holdTime, bgpIdentifier, parameters);
    }

    /// <summary>All capabilities in parameter order.</summary>
    public IEnumerable<Capability> Capabilities =>
        Parameters.SelectMany(p => p.Capabilities);

    /// <summary>The first capability of type <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>() where T : Capability => Capabilities.OfType<T>().FirstOrDefault();

    /// <summary>The speaker's AS: from the 4-octet AS capability when present, else the My AS field.</summary>
    public uint Asn => Find<FourOctetAsCapability>()?.Asn ?? MyAutonomousSystem;

    public IpAddr BgpIdentifierAddress => IpAddr.FromV4(BgpIdentifier);

    /// <summary>The families announced with the multiprotocol capability.</summary>
    public IEnumerable<AfiSafi> Families => Capabilities.OfType<MultiprotocolCapability>().Select(c => c.Family);

    public bool Supports(byte capabilityCode) => Capabilities.Any(c => c.Code == capabilityCode);
}
