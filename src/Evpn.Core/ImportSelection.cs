using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Which MAC-VRFs a received type-2 or type-3 path is imported into: the one decision every
/// import, re-evaluation, show and explain path asks, and the route-target index it is made from.</summary>
internal sealed class ImportSelection
{
    private readonly Func<CoreOptions> _options;
    private readonly Dictionary<ulong, List<MacVrf>> _byRouteTarget = new();
    private readonly Dictionary<uint, List<MacVrf>> _byWildcard = new();

    /// <summary>Bumped whenever the route-target index changes, invalidating import caches.</summary>
    private int _importGeneration;

    public ImportSelection(Func<CoreOptions> options) => _options = options;

    private CoreOptions Options => _options();

    /// <summary>
    ///   RFC 7432 section 9.2.1 and RFC 8365 sections 5.1.2 and 5.1.3: a path is imported into a MAC-VRF
    ///   whose import route targets it carries, and of those only into the ones the route names:
    ///   <list type="bullet">
    ///     <item>VLAN-aware bundle (several VNIs under one RD and RT, Ethernet Tag = VNI): a non-zero Ethernet
    ///       Tag names the VNI whose tag it is (<see cref="NamedByTag"/>), and nothing else.</item>
    ///     <item>VLAN-based service (Ethernet Tag 0): the VNI the VXLAN label carries, or, when the label names
    ///       another VNI (downstream-assigned), the VNI a route target is unique to.</item>
    ///   </list>
    ///   So a route lands in two VNIs only when it carries two route targets each unique to one of them.
    ///   Allocation-free once the route-target candidates of an attribute set are cached.
    /// </summary>
    public MacVrf[] ImportTargets(RibPath path)
    {
        var candidates = Candidates(path.Attributes);
        var vrfs = candidates.Vrfs;
        if (vrfs.Length == 0)
        {
            return vrfs;
        }
        var tag = EthernetTagOf(path.Route);
        var labelVni = LabelVni(path);
        var count = 0;
        var last = -1;
        for (var i = 0; i < vrfs.Length; i++)
        {
            if (Imports(Decide(vrfs[i], candidates.Unique[i], tag, labelVni)))
            {
                count++;
                last = i;
            }
        }
        if (count == vrfs.Length)
        {
            return vrfs;
        }
        if (count <= 1)
        {
            return count == 0 ? [] : candidates.Singles[last];
        }
        var chosen = new MacVrf[count];
        var next = 0;
        for (var i = 0; i < vrfs.Length; i++)
        {
            if (Imports(Decide(vrfs[i], candidates.Unique[i], tag, labelVni)))
            {
                chosen[next++] = vrfs[i];
            }
        }
        return chosen;
    }

    /// <summary>The rule for one MAC-VRF whose import route targets the path carries
    /// (<paramref name="uniqueRouteTarget"/>: one of them is imported by this MAC-VRF alone).</summary>
    private static ImportReason Decide(MacVrf vrf, bool uniqueRouteTarget, uint ethernetTag, uint? labelVni)
    {
        if (ethernetTag != 0)
        {
            return NamedByTag(vrf, ethernetTag) ? ImportReason.ByEthernetTag : ImportReason.EthernetTagMismatch;
        }
        if (labelVni == vrf.Vni)
        {
            return ImportReason.ByLabel;
        }
        return uniqueRouteTarget ? ImportReason.ByUniqueRouteTarget : ImportReason.LabelMismatch;
    }

    /// <summary>The decision of <see cref="ImportTargets"/> for one MAC-VRF, for explain.</summary>
    public ImportReason ImportDecision(RibPath path, MacVrf vrf)
    {
        var candidates = Candidates(path.Attributes);
        var index = Array.IndexOf(candidates.Vrfs, vrf);
        return index < 0 ? ImportReason.NoRouteTargetMatch : Decide(vrf, candidates.Unique[index], EthernetTagOf(path.Route), LabelVni(path));
    }

    public static bool Imports(ImportReason reason) => reason <= ImportReason.ByUniqueRouteTarget;

    /// <summary>RFC 8365 section 5.1.3: in a VLAN-aware bundle the Ethernet Tag is the VNI; a VNI configured
    /// with another tag (<c>ethernet-tag: N</c>, e.g. a VLAN id a peer uses) is named by that one too.</summary>
    public static bool NamedByTag(MacVrf vrf, uint ethernetTag) => ethernetTag == vrf.Vni || ethernetTag == vrf.EthernetTag;

    public static uint EthernetTagOf(EvpnRoute route) => route switch
    {
        MacIpAdvertisementRoute r => r.EthernetTag,
        InclusiveMulticastRoute r => r.EthernetTag,
        _ => 0,
    };

    /// <summary>RFC 8365 section 5.1.3: with the VXLAN encapsulation community the label is the VNI.</summary>
    public static uint? LabelVni(RibPath path)
    {
        if (!path.Attributes.IsVxlan)
        {
            return null;
        }
        return path.Route switch
        {
            MacIpAdvertisementRoute r => EvpnLabel.ToVni(r.Label1),
            InclusiveMulticastRoute => path.Attributes.Attributes.PmsiTunnel is { } pmsi ? EvpnLabel.ToVni(pmsi.Label) : null,
            EthernetAutoDiscoveryRoute r => EvpnLabel.ToVni(r.Label),
            IpPrefixRoute r => EvpnLabel.ToVni(r.Label),
            _ => null,
        };
    }

    /// <summary>The MAC-VRFs whose import route targets (or <c>*:VNI</c> with wildcard import) the set
    /// carries, and for each whether one of those route targets is imported by it alone. Routes sharing an
    /// attribute set share the answer, cached on the set until the index changes.</summary>
    public ImportCandidates Candidates(AttributeSet set)
    {
        if (set.ImportCache is ImportCandidates cached && cached.Generation == _importGeneration)
        {
            return cached;
        }
        var found = new List<MacVrf>();
        var unique = new List<bool>();
        var matched = new List<MacVrf>();
        foreach (var rt in set.RouteTargets)
        {
            matched.Clear();
            if (_byRouteTarget.TryGetValue(rt.Raw, out var list))
            {
                matched.AddRange(list);
            }
            if (Options.WildcardImport && _byWildcard.TryGetValue(RouteTargets.LocalAdministrator(rt), out var wild))
            {
                matched.AddRange(wild.Where(v => !matched.Contains(v)));
            }
            foreach (var vrf in matched)
            {
                var index = found.IndexOf(vrf);
                if (index < 0)
                {
                    found.Add(vrf);
                    unique.Add(false);
                    index = found.Count - 1;
                }
                unique[index] |= matched.Count == 1;
            }
        }
        var vrfs = found.ToArray();
        var candidates = new ImportCandidates(_importGeneration, vrfs, unique.ToArray(), Array.ConvertAll(vrfs, v => new[] { v }));
        set.ImportCache = candidates;
        return candidates;
    }

    /// <summary>The other MAC-VRFs importing one of <paramref name="vrf"/>'s route targets: whether a route
    /// target is unique to a VNI decides imports (<see cref="Decide"/>), so they change when it comes or goes.</summary>
    public List<MacVrf> Sharers(MacVrf vrf)
    {
        var sharers = new List<MacVrf>();
        foreach (var rt in vrf.ImportRouteTargets)
        {
            if (_byRouteTarget.TryGetValue(rt.Raw, out var list))
            {
                sharers.AddRange(list.Where(v => v != vrf && !sharers.Contains(v)));
            }
        }
        if (Options.WildcardImport && _byWildcard.TryGetValue(vrf.WildcardLocalAdministrator, out var wild))
        {
            sharers.AddRange(wild.Where(v => v != vrf && !sharers.Contains(v)));
        }
        return sharers;
    }

    public void Index(MacVrf vrf)
    {
        foreach (var rt in vrf.ImportRouteTargets)
        {
            AddTo(_byRouteTarget, rt.Raw, vrf);
        }
        if (Options.WildcardImport)
        {
            AddTo(_byWildcard, vrf.WildcardLocalAdministrator, vrf);
        }
        _importGeneration++;
    }

    public void Unindex(MacVrf vrf)
    {
        foreach (var list in _byRouteTarget.Values)
        {
            list.Remove(vrf);
        }
        foreach (var list in _byWildcard.Values)
        {
            list.Remove(vrf);
        }
        _importGeneration++;
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<MacVrf>> index, TKey key, MacVrf vrf) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = new List<MacVrf>(1);
            index.Add(key, list);
        }
        if (!list.Contains(vrf))
        {
            list.Add(vrf);
        }
    }

    /// <summary>MAC-VRFs matched by route target, whether a route target is unique to each, and a one-element
    /// array per MAC-VRF so the common single-VNI answer needs no allocation.</summary>
    public sealed record ImportCandidates(int Generation, MacVrf[] Vrfs, bool[] Unique, MacVrf[][] Singles);
}
