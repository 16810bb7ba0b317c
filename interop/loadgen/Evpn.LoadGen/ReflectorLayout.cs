using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>Who is who in a reflector run: client c connects from FirstLocal + c with that address as its
/// router-id; the first K clients originate, client k the type-2 routes [k*N/K, (k+1)*N/K) of the plan, and
/// client 0 also the type-3 routes (one originator per NLRI, so no client can get an NLRI it sent back
/// through another originator's copy). In the churn phase a moved host is announced behind the move VTEP by
/// the next originator, k+1 mod K, as when a host moves to another leaf.</summary>
public sealed class ReflectorLayout
{
    public ReflectorLayout(LoadOptions options)
    {
        Options = options;
    }

    public LoadOptions Options { get; }

    public int Clients => Options.Sessions;
    public int Originators => Options.Originators;

    public IpAddr Address(int client) => IpAddr.FromV4(Options.FirstLocal.V4Bits + (uint)client);

    public IpAddr RouterId(int client) => Address(client);

    /// <summary>First type-2 index of originator <paramref name="k"/>; <c>RangeStart(K)</c> is N.</summary>
    public int RangeStart(int k) => (int)((long)Options.Routes * k / Originators);

    /// <summary>The originator of type-2 index <paramref name="index"/>: the k with RangeStart(k) &lt;= index &lt; RangeStart(k+1).</summary>
    public int OwnerOfType2(int index)
    {
        var k = (int)((long)index * Originators / Options.Routes);
        while (RangeStart(k + 1) <= index)
        {
            k++;
        }
        while (RangeStart(k) > index)
        {
            k--;
        }
        return k;
    }

    public int OwnerOfType3 => 0;

    /// <summary>The originator that announces type-2 index <paramref name="index"/> after the move.</summary>
    public int MoveOwnerOfType2(int index) => (OwnerOfType2(index) + 1) % Originators;

    /// <summary>The RD of a moved host: the move VTEP's, for the host's VNI (index i is in VNI FirstVni + i mod V).</summary>
    public RouteDistinguisher MovedRd(int index) =>
        RouteDistinguisher.FromIPv4(Options.VtepRouterId(Options.Vteps), (ushort)(Options.FirstVni + (uint)(index % Options.Vnis)));

    public int OwnedBy(int client) => client >= Originators ? 0
        : RangeStart(client + 1) - RangeStart(client) + (client == OwnerOfType3 ? Options.Type3Count : 0);

    public int ExpectedAt(int client) => Options.Routes + Options.Type3Count - OwnedBy(client);

    /// <summary>The plan's index of a type-2 MAC: 02:SS:ii:ii:ii:ii with SS the seed (LoadPlan).</summary>
    public bool TryType2Index(MacAddress mac, out int index)
    {
        index = (int)(mac.Value & 0xFFFF_FFFF);
        return (mac.Value >> 32) == (0x0200UL | (byte)Options.Seed) && index < Options.Routes;
    }

    /// <summary>A type-3 route's slot: VTEP (its originating IP) times V plus the VNI's offset (its RD's number).</summary>
    public bool TryType3Index(InclusiveMulticastRoute route, out int index)
    {
        index = 0;
        if (!Options.Type3 || route.OriginatorIp.IsV6)
        {
            return false;
        }
        var vtep = (long)route.OriginatorIp.V4Bits - Options.FirstVtep.V4Bits;
        var vni = (ushort)((ushort)route.Rd.Raw - (ushort)Options.FirstVni);
        if (vtep < 0 || vtep >= Options.Vteps || vni >= Options.Vnis)
        {
            return false;
        }
        index = (int)vtep * Options.Vnis + vni;
        return true;
    }
}
