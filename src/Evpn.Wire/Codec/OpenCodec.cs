using System.Buffers.Binary;
using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>OPEN, RFC 4271 section 4.2, with RFC 5492 capabilities and RFC 9072 extended optional parameters.</summary>
/// <remarks>
///   | Version (1) | My AS (2) | Hold Time (2) | BGP Identifier (4) | Opt Parm Len (1) | Optional Parameters |
///   Optional parameter: | Parm. Type (1) | Parm. Length (1) | Parm. Value |.
///   RFC 9072 section 2: Opt Parm Len 255 then Parm. Type 255 then a 2-octet Extended Opt. Parm. Length;
///   every parameter then has a 2-octet length.
///   Errors (all session reset, RFC 4271 section 6.2): version not 4 (2/1), hold time 1 or 2 (2/6),
///   BGP Identifier 0 (2/3, RFC 6286 section 2.2), parameter lengths inconsistent (2/0), a parameter
///   other than capabilities (2/4). Checks needing configuration (peer AS) are the session's.
/// </remarks>
internal static class OpenCodec
{
    private const int FixedLength = 10;

    public static DecodeResult Decode(ReadOnlySpan<byte> message)
    {
        var b = message[BgpFraming.HeaderLength..];
        var version = b[0];
        if (version != OpenMessage.BgpVersion)
        {
            return DecodeResult.Fatal(BgpError.Open(OpenMessageErrorSubcode.UnsupportedVersionNumber,
                $"BGP version {version} is not supported", [0, OpenMessage.BgpVersion]));
        }
        var myAs = BinaryPrimitives.ReadUInt16BigEndian(b[1..]);
        var holdTime = BinaryPrimitives.ReadUInt16BigEndian(b[3..]);
        var identifier = BinaryPrimitives.ReadUInt32BigEndian(b[5..]);
        if (holdTime is 1 or 2)
        {
            return DecodeResult.Fatal(BgpError.Open(OpenMessageErrorSubcode.UnacceptableHoldTime, $"hold time {holdTime} s (must be 0 or at least 3)"));
        }
        if (identifier == 0)
        {
            return DecodeResult.Fatal(BgpError.Open(OpenMessageErrorSubcode.BadBgpIdentifier, "BGP Identifier is 0"));
        }
        var parameters = b[FixedLength..];
        int declared = b[9];
        var extended = declared == 255 && parameters.Length >= 3 && parameters[0] == 255;
        if (extended)
        {
            declared = BinaryPrimitives.ReadUInt16BigEndian(parameters[1..]);
            parameters = parameters[3..];
        }
        if (declared != parameters.Length)
        {
            return DecodeResult.Fatal(BgpError.Open(0, $"optional parameters length {declared} does not match the {parameters.Length} octets present"));
        }
        var list = ImmutableArray.CreateBuilder<CapabilitiesParameter>();
        var offset = 0;
        var parameterHeader = extended ? 3 : 2;
        while (offset < parameters.Length)
        {
            if (parameters.Length - offset < parameterHeader)
            {
                return DecodeResult.Fatal(BgpError.Open(0, "optional parameters end inside a parameter header"));
            }
            var type = parameters[offset];
            int length = extended ? BinaryPrimitives.ReadUInt16BigEndian(parameters[(offset + 1)..]) : parameters[offset + 1];
            offset += parameterHeader;
            if (length > parameters.Length - offset)
            {
                return DecodeResult.Fatal(BgpError.Open(0, $"optional parameter length {length} overruns the parameters"));
            }
            var value = parameters.Slice(offset, length);
            offset += length;
            if (type != CapabilitiesParameter.ParameterType)
            {
                return DecodeResult.Fatal(BgpError.Open(OpenMessageErrorSubcode.UnsupportedOptionalParameter, $"optional parameter type {type} is not supported"));
            }
            var capabilities = ImmutableArray.CreateBuilder<Capability>();
            var c = 0;
            while (c < value.Length)
            {
                if (value.Length - c < 2 || value[c + 1] > value.Length - c - 2)
                {
                    return DecodeResult.Fatal(BgpError.Open(0, "a capability overruns its optional parameter"));
                }
                capabilities.Add(CapabilityCodec.Decode(value[c], value.Slice(c + 2, value[c + 1])));
                c += 2 + value[c + 1];
            }
            list.Add(new CapabilitiesParameter(capabilities.ToImmutable()));
        }
        return DecodeResult.Ok(new OpenMessage(version, myAs, holdTime, identifier, list.ToImmutable()) { ExtendedParameters = extended });
    }

    public static void Write(ref WireWriter w, OpenMessage open)
    {
        w.WriteByte(open.Version);
        w.WriteUInt16(open.MyAutonomousSystem);
        w.WriteUInt16(open.HoldTime);
        w.WriteUInt32(open.BgpIdentifier);
        var lengthAt = w.Position;
        if (open.ExtendedParameters)
        {
            WriteExtended(ref w, open);
            return;
        }
        w.WriteByte(0);
        var start = w.Position;
        foreach (var parameter in open.Parameters)
        {
            w.WriteByte(CapabilitiesParameter.ParameterType);
            var parameterLengthAt = w.Position;
            w.WriteByte(0);
            var parameterStart = w.Position;
            foreach (var capability in parameter.Capabilities)
            {
                CapabilityCodec.Write(ref w, capability);
            }
            var parameterLength = w.Position - parameterStart;
            if (parameterLength > byte.MaxValue || w.Position - start >= byte.MaxValue)
            {
                // RFC 9072: too long for 1-octet lengths, start again with the extended encoding.
                w.Rewind(lengthAt);
                WriteExtended(ref w, open);
                return;
            }
            w.PatchByte(parameterLengthAt, (byte)parameterLength);
        }
        w.PatchByte(lengthAt, (byte)(w.Position - start));
    }

    private static void WriteExtended(ref WireWriter w, OpenMessage open)
    {
        w.WriteByte(255);
        w.WriteByte(255);
        var totalAt = w.Position;
        w.WriteUInt16(0);
        var start = w.Position;
        foreach (var parameter in open.Parameters)
        {
            w.WriteByte(CapabilitiesParameter.ParameterType);
            var parameterLengthAt = w.Position;
            w.WriteUInt16(0);
            var parameterStart = w.Position;
            foreach (var capability in parameter.Capabilities)
            {
                CapabilityCodec.Write(ref w, capability);
            }
            w.PatchUInt16(parameterLengthAt, (ushort)(w.Position - parameterStart));
        }
        w.PatchUInt16(totalAt, (ushort)(w.Position - start));
    }
}
