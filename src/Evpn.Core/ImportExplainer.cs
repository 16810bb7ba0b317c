using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary><c>explain route</c>: why a received route was imported into which VNI, or into none.</summary>
internal sealed class ImportExplainer
{
    private readonly Rib.Rib _rib;
    private readonly MacVrfRegistry _vrfs;
    private readonly ImportSelection _selection;
    private readonly RemoteImporter _importer;

    public ImportExplainer(Rib.Rib rib, MacVrfRegistry vrfs, ImportSelection selection, RemoteImporter importer)
    {
        _rib = rib;
        _vrfs = vrfs;
        _selection = selection;
        _importer = importer;
    }

    /// <summary>Received type-2/type-3 routes (their best paths) matching the filter, each with the import
    /// decision of <see cref="ImportSelection.ImportTargets"/> for every VNI it matched by route target. With
    /// <paramref name="vni"/>, that VNI's decision is always listed.</summary>
    public IReadOnlyList<RouteImportExplanation> ExplainImport(MacAddress? mac, RouteDistinguisher? rd, uint? ethernetTag, EvpnRouteType? type, uint? vni)
    {
        var explanations = new List<RouteImportExplanation>();
        foreach (var destination in _rib.Destinations)
        {
            var key = destination.Key;
            if (destination.Best is not { Source.IsLocal: false } best ||
                key.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast) ||
                (type is { } t && key.Type != t) || (rd is { } r && key.Rd != r) ||
                (ethernetTag is { } tag && ImportSelection.EthernetTagOf(key) != tag) ||
                (mac is { } m && (key is not MacIpAdvertisementRoute route || route.Mac != m)))
            {
                continue;
            }
            explanations.Add(ExplainImport(best, vni));
        }
        return explanations;
    }

    private RouteImportExplanation ExplainImport(RibPath path, uint? vni)
    {
        var tag = ImportSelection.EthernetTagOf(path.Route);
        var label = ImportSelection.LabelVni(path);
        var candidates = _selection.Candidates(path.Attributes).Vrfs;
        var decisions = candidates.Select(v => Decision(v, _selection.ImportDecision(path, v))).ToList();
        if (vni is { } asked && _vrfs.TryGetValue(asked, out var askedVrf) && Array.IndexOf(candidates, askedVrf) < 0)
        {
            decisions.Add(Decision(askedVrf, ImportReason.NoRouteTargetMatch));
        }
        string summary;
        if (_importer.NotInstalled(path) is { } blocked)
        {
            // The route targets still select these VNIs, but nothing of the route reaches their data plane.
            decisions = decisions.Select(d => d with { Imported = false }).ToList();
            summary = "not installed: " + blocked;
        }
        else if (decisions.Where(d => d.Imported).Select(d => d.Vni).ToList() is { Count: > 0 } imported)
        {
            summary = $"imported into VNI {string.Join(", ", imported)}: " +
                      string.Join("; ", decisions.Where(d => d.Imported).Select(d => Describe(d.Reason, tag, label)));
        }
        else if (candidates.Length > 0)
        {
            summary = "not imported: " + string.Join("; ", decisions.Where(d => d.Reason != ImportReason.NoRouteTargetMatch)
                .Select(d => $"VNI {d.Vni}: {Describe(d.Reason, tag, label)}"));
        }
        else
        {
            var nearest = Nearest(path, tag, label);
            decisions.AddRange(nearest.Where(n => !decisions.Any(d => d.Vni == n.Vni)).Select(n => Decision(n, ImportReason.NoRouteTargetMatch)));
            summary = $"not imported: no VNI imports {(path.Attributes.RouteTargets.Count == 0 ? "a route without route targets" : string.Join(", ", path.Attributes.RouteTargets))}" +
                      (nearest.Count == 0 ? string.Empty : "; nearest: " + string.Join("; ", nearest.Select(n => $"VNI {n.Vni} imports {string.Join(", ", n.ImportRouteTargets)}")));
        }
        return new RouteImportExplanation(path.Route, path.Source.ToString(), path.NextHop, path.Attributes.RouteTargets, tag, label, decisions, summary,
            path.ReceivedPathId);
    }

    private static ImportDecisionView Decision(MacVrf vrf, ImportReason reason) =>
        new(vrf.Vni, ImportSelection.Imports(reason), reason, vrf.ImportRouteTargets, vrf.EthernetTag);

    /// <summary>VNIs the route seems meant for although no route target matches: named by its Ethernet Tag or
    /// label, or importing a route target with the same local administrator (another AS, another derivation).</summary>
    private List<MacVrf> Nearest(RibPath path, uint tag, uint? label) => _vrfs.Values
        .Where(v => (tag != 0 && ImportSelection.NamedByTag(v, tag)) || v.Vni == label ||
                    v.ImportRouteTargets.Any(own => path.Attributes.RouteTargets.Any(rt => VniIdentity.LocalAdministrator(rt) == VniIdentity.LocalAdministrator(own))))
        .OrderBy(v => v.Vni).Take(4).ToList();

    /// <summary>One sentence for an import decision.</summary>
    public static string Describe(ImportReason reason, uint ethernetTag, uint? labelVni) => reason switch
    {
        ImportReason.ByEthernetTag => $"the Ethernet Tag {ethernetTag} names it (VLAN-aware bundle)",
        ImportReason.ByLabel => $"the label is its VNI {labelVni}",
        ImportReason.ByUniqueRouteTarget => $"a route target is imported by this VNI alone (the label {Label(labelVni)} is downstream-assigned)",
        ImportReason.EthernetTagMismatch => $"a route target matches but the Ethernet Tag {ethernetTag} names another VNI",
        ImportReason.LabelMismatch => $"a route target matches but other VNIs import it too and the label {Label(labelVni)} does not name this one",
        _ => "imports none of the route's route targets",
    };

    private static string Label(uint? labelVni) => labelVni is { } vni ? $"(VNI {vni})" : "(none without the VXLAN encapsulation community)";
}
