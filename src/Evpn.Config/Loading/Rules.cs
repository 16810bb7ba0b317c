using System.Globalization;
using Evpn.Config.Options;

namespace Evpn.Config.Loading;

/// <summary>The scalar rules the sections use. Each rule's Expected text is what users read in errors.</summary>
internal static class Rules
{
    private const NumberStyles Digits = NumberStyles.None;

    public static readonly ScalarRule<uint> Asn = new("an AS number 1..4294967295", (string t, out uint v) =>
        uint.TryParse(t, Digits, CultureInfo.InvariantCulture, out v) && v > 0);

    public static readonly ScalarRule<PeerAs> RemoteAs = new("an AS number 1..4294967295 or 'internal'/'external'", ParseRemoteAs);

    public static readonly ScalarRule<IpAddr> Address = new("an IPv4 or IPv6 address", IpAddr.TryParse);

    /// <summary>RFC 4271 section 4.2 / RFC 6286: the BGP Identifier is a non-zero 32-bit number, written as IPv4.</summary>
    public static readonly ScalarRule<IpAddr> RouterId = new("a non-zero IPv4 address", (string t, out IpAddr v) =>
        IpAddr.TryParse(t, out v) && v.IsV4 && v.V4Bits != 0);

    public static readonly ScalarRule<AddressRange> Prefix = new("an address prefix such as 10.0.0.0/24 with the host bits zero", AddressRange.TryParse);

    public static readonly ScalarRule<int> Port = IntRange(1, 65535, "a port number 1..65535");

    public static readonly ScalarRule<bool> Bool = new("true or false", (string t, out bool v) =>
    {
        // YAML 1.2 core schema booleans only: `yes`/`on` are strings there and silently meaning true is a trap.
        v = t is "true" or "True" or "TRUE";
        return v || t is "false" or "False" or "FALSE";
    });

    public static readonly ScalarRule<string> Text = new("a string", (string t, out string v) =>
    {
        v = t;
        return t.Length > 0;
    });

    /// <summary>Linux TCP_MD5SIG_MAXKEYLEN is 80 octets. A key that does not fit is not repeated in the error
    /// (the error goes to the console, the journal and `evpnctl reload`).</summary>
    public static readonly ScalarRule<string> Password = new("a TCP-MD5 key of 1..80 bytes", (string t, out string v) =>
    {
        v = t;
        var bytes = System.Text.Encoding.UTF8.GetByteCount(t);
        return bytes is > 0 and <= 80;
    }, Secret: true);

    public static readonly ScalarRule<uint> Vni = new("a VNI 1..16777215", (string t, out uint v) =>
        uint.TryParse(t, Digits, CultureInfo.InvariantCulture, out v) && v is > 0 and <= VniOptions.MaxVni);

    /// <summary>RFC 7432 section 7.2: the Ethernet Tag ID is 4 octets.</summary>
    public static readonly ScalarRule<EthernetTagChoice> EthernetTag = new("'vni' or an Ethernet Tag 0..4294967295", (string t, out EthernetTagChoice v) =>
    {
        v = EthernetTagChoice.Vni;
        if (t == "vni")
        {
            return true;
        }
        var ok = uint.TryParse(t, Digits, CultureInfo.InvariantCulture, out var tag);
        v = new EthernetTagChoice(false, tag);
        return ok;
    });

    public static readonly ScalarRule<RouteDistinguisher?> Rd = new("a route distinguisher ASN:NN or A.B.C.D:NN, or 'auto'", (string t, out RouteDistinguisher? v) =>
    {
        v = null;
        if (t == "auto")
        {
            return true;
        }
        if (RouteDistinguisher.TryParse(t, out var rd))
        {
            v = rd;
            return true;
        }
        return false;
    });

    public static readonly ScalarRule<ExtendedCommunity> RouteTarget = new("a route target ASN:NN or A.B.C.D:NN", RouteTargets.TryParse);

    public static readonly ScalarRule<AfiSafi> Family = new("one of 'l2vpn-evpn', 'ipv4-unicast', 'ipv6-unicast'", (string t, out AfiSafi v) =>
    {
        v = t switch
        {
            "l2vpn-evpn" => AfiSafi.L2vpnEvpn,
            "ipv4-unicast" => AfiSafi.Ipv4Unicast,
            "ipv6-unicast" => AfiSafi.Ipv6Unicast,
            _ => default,
        };
        return v != default;
    });

    public static readonly ScalarRule<GracefulStopMode> OnStop = Choice("one of 'notify', 'graceful'",
        ("notify", GracefulStopMode.Notify), ("graceful", GracefulStopMode.Graceful));

    /// <summary>`junos` names the RFC 8365 rule (Junos `vrf-target auto` follows it); `as-vni` is the older name of `frr`.</summary>
    public static readonly ScalarRule<DerivationMode> RtDerivation = Choice("one of 'frr', 'rfc8365', 'junos', 'nxos', 'nokia' ('as-vni' = 'frr')",
        ("frr", DerivationMode.Frr), ("as-vni", DerivationMode.Frr), ("rfc8365", DerivationMode.Rfc8365), ("junos", DerivationMode.Rfc8365),
        ("nxos", DerivationMode.NxOs), ("nokia", DerivationMode.Nokia));

    /// <summary>An EVPN instance number: the RD's number field is 16 bits (RFC 4364 section 4.2), and both the Nokia
    /// RD and RT are made from it.</summary>
    public static readonly ScalarRule<uint> Evi = UIntRange(1, ushort.MaxValue);

    public static readonly ScalarRule<DataPlaneKind> DataPlane = Choice("one of 'linux', 'memory'",
        ("linux", DataPlaneKind.Linux), ("memory", DataPlaneKind.Memory));

    public static readonly ScalarRule<LogLevel> Level = Choice("one of 'trace', 'debug', 'information', 'warning', 'error', 'critical'",
        ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("information", LogLevel.Information), ("info", LogLevel.Information),
        ("warning", LogLevel.Warning), ("error", LogLevel.Error), ("critical", LogLevel.Critical));

    public static readonly ScalarRule<LogFormat> LogFormat = Choice("one of 'text', 'json'", ("text", Options.LogFormat.Text), ("json", Options.LogFormat.Json));

    public static readonly ScalarRule<FreezePolicy> Freeze = new("'none', 'permanent' or a duration 30s..1h", (string t, out FreezePolicy v) =>
    {
        v = t switch { "none" => FreezePolicy.None, "permanent" => FreezePolicy.Permanent, _ => default };
        if (t is "none" or "permanent")
        {
            return true;
        }
        if (Durations.TryParse(t, out var d) && d >= TimeSpan.FromSeconds(30) && d <= TimeSpan.FromHours(1))
        {
            v = FreezePolicy.For(d);
            return true;
        }
        return false;
    });

    /// <summary>"host:port", IPv6 in brackets: 127.0.0.1:9179, [::1]:9179.</summary>
    public static readonly ScalarRule<(IpAddr Address, int Port)> Endpoint = new("an address and port such as 127.0.0.1:9179 or [::1]:9179", (string t, out (IpAddr, int) v) =>
    {
        v = default;
        var colon = t.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(t[(colon + 1)..], Digits, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }
        var host = t[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }
        if (!IpAddr.TryParse(host, out var address) || address.IsV6 != bracketed)
        {
            return false;
        }
        v = (address, port);
        return true;
    });

    public static ScalarRule<int> IntRange(int min, int max, string? expected = null) =>
        new(expected ?? $"an integer {min}..{max}", (string t, out int v) =>
            int.TryParse(t, Digits, CultureInfo.InvariantCulture, out v) && v >= min && v <= max);

    public static ScalarRule<uint> UIntRange(uint min, uint max) =>
        new($"an integer {min}..{max}", (string t, out uint v) =>
            uint.TryParse(t, Digits, CultureInfo.InvariantCulture, out v) && v >= min && v <= max);

    /// <summary>A duration in whole seconds within [min, max]; see <see cref="Durations"/> for the forms.</summary>
    public static ScalarRule<TimeSpan> Seconds(int min, int max, string? expected = null) =>
        new(expected ?? $"a duration {min}..{max} seconds", (string t, out TimeSpan v) =>
            Durations.TryParse(t, out v) && v.Ticks % TimeSpan.TicksPerSecond == 0 && v.TotalSeconds >= min && v.TotalSeconds <= max);

    private static bool ParseRemoteAs(string text, out PeerAs value)
    {
        value = text switch { "internal" => PeerAs.Internal, "external" => PeerAs.External, _ => default };
        if (text is "internal" or "external")
        {
            return true;
        }
        if (uint.TryParse(text, Digits, CultureInfo.InvariantCulture, out var asn) && asn > 0)
        {
            value = PeerAs.Number(asn);
            return true;
        }
        return false;
    }

    private static ScalarRule<T> Choice<T>(string expected, params (string Name, T Value)[] choices) =>
        new(expected, (string t, out T v) =>
        {
            foreach (var (name, value) in choices)
            {
                if (name == t)
                {
                    v = value;
                    return true;
                }
            }
            v = default!;
            return false;
        });
}
