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

    /// <summary>RD and route targets from configuration, or derived (RFC 7432 section 7.9 RD
    /// <c>router-id:index</c>; RT per <see cref="CoreOptions.RouteTargetFormat"/>).</summary>
    public void SetIdentity(MacVrf vrf)
    {
        var config = vrf.Config;
        if (config?.Rd is { } rd)
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
            vrf.Rd = RouteTargets.AutoRd(Options.RouterId, vrf.RdIndex);
        }
        var auto = RouteTargets.Auto(Options.LocalAsn, vrf.Vni, Options.RouteTargetFormat, Options.RouteTargetDomainId);
        vrf.ImportRouteTargets = config?.ImportRouteTargets is { Count: > 0 } import ? import.ToArray() : [auto];
        vrf.ExportRouteTargets = config?.ExportRouteTargets is { Count: > 0 } export ? export.ToArray() : [auto];
        vrf.WildcardLocalAdministrator = RouteTargets.LocalAdministrator(auto);
        vrf.EthernetTag = config?.EthernetTag ?? 0;
    }

    private ushort AllocateRdIndex()
    {
        var configured = new HashSet<RouteDistinguisher>(_vrfs.Values.Where(v => v.Config?.Rd is not null).Select(v => v.Rd));
        for (ushort index = 1; index < ushort.MaxValue; index++)
        {
            if (!_usedRdIndexes.Contains(index) && !configured.Contains(RouteTargets.AutoRd(Options.RouterId, index)))
            {
                _usedRdIndexes.Add(index);
                return index;
            }
        }
        throw new InvalidOperationException("no free route distinguisher index (65534 MAC-VRFs)");
    }
}
