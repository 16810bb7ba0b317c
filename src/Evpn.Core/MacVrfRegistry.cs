using System.Diagnostics.CodeAnalysis;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The MAC-VRFs by VNI and their identity: RD (configured, or <c>router-id:index</c> with an index
/// allocated here), import and export route targets, and the Ethernet Tag of a VLAN-aware bundle.</summary>
internal sealed class MacVrfRegistry
{
    private readonly Func<CoreOptions> _options;
    private readonly Dictionary<uint, MacVrf> _vrfs = new();
    private readonly HashSet<ushort> _usedRdIndexes = new();

    public MacVrfRegistry(Func<CoreOptions> options) => _options = options;

    private CoreOptions Options => _options();

    public int Count => _vrfs.Count;

    public IEnumerable<MacVrf> Values => _vrfs.Values;

    public bool ContainsKey(uint vni) => _vrfs.ContainsKey(vni);

    public bool TryGetValue(uint vni, [MaybeNullWhen(false)] out MacVrf vrf) => _vrfs.TryGetValue(vni, out vrf);

    /// <summary>A new MAC-VRF for <paramref name="vni"/> with its identity set.</summary>
    public MacVrf Add(uint vni, VniConfig? config)
    {
        var vrf = new MacVrf(vni) { Config = config };
        _vrfs.Add(vni, vrf);
        SetIdentity(vrf);
        return vrf;
    }

    /// <summary>Forgets <paramref name="vrf"/> and frees its RD index.</summary>
    public void Remove(MacVrf vrf)
    {
        if (vrf.RdIndex != 0)
        {
            _usedRdIndexes.Remove(vrf.RdIndex);
        }
        _vrfs.Remove(vrf.Vni);
    }

    /// <summary>RD and route targets from configuration, or derived by the rule in effect (<see cref="VniIdentity"/>;
    /// an RD the rule does not fix is RFC 7432 section 7.9 <c>router-id:index</c>).</summary>
    public void SetIdentity(MacVrf vrf)
    {
        var config = vrf.Config;
        var mode = config?.Derivation ?? Options.Derivation;
        var evi = config?.Evi ?? vrf.Vni;
        var fixedRd = config?.Rd ?? VniIdentity.Rd(mode, Options.RouterId.V4Bits, evi);
        if (fixedRd is { } rd)
        {
            if (vrf.RdIndex != 0)
            {
                _usedRdIndexes.Remove(vrf.RdIndex);
                vrf.RdIndex = 0;
            }
            vrf.Rd = rd;
        }
        else
        {
            if (vrf.RdIndex == 0)
            {
                vrf.RdIndex = AllocateRdIndex();
            }
            vrf.Rd = VniIdentity.IndexedRd(Options.RouterId.V4Bits, vrf.RdIndex);
        }
        var auto = VniIdentity.RouteTarget(mode, Options.LocalAsn, vrf.Vni, evi);
        vrf.ImportRouteTargets = config?.ImportRouteTargets is { Count: > 0 } import ? import.ToArray() : [auto];
        vrf.ExportRouteTargets = config?.ExportRouteTargets is { Count: > 0 } export ? export.ToArray() : [auto];
        vrf.WildcardLocalAdministrator = VniIdentity.LocalAdministrator(auto);
        vrf.EthernetTag = config?.EthernetTag ?? 0;
    }

    private ushort AllocateRdIndex()
    {
        // RDs not made from an index: configured, or fixed by the derivation rule.
        var taken = new HashSet<RouteDistinguisher>(_vrfs.Values.Where(v => v.RdIndex == 0).Select(v => v.Rd));
        for (ushort index = 1; index < ushort.MaxValue; index++)
        {
            if (!_usedRdIndexes.Contains(index) && !taken.Contains(VniIdentity.IndexedRd(Options.RouterId.V4Bits, index)))
            {
                _usedRdIndexes.Add(index);
                return index;
            }
        }
        throw new InvalidOperationException("no free route distinguisher index (65534 MAC-VRFs)");
    }
}
