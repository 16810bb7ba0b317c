using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>One generated host: a MAC (and maybe an IPv4 address) in a VNI behind VTEP number
/// <see cref="VtepIndex"/>, advertised with MAC mobility sequence <see cref="Sequence"/>.</summary>
public readonly record struct GeneratedRoute(MacAddress Mac, IpAddr? Ip, uint Vni, int VtepIndex, uint Sequence);
