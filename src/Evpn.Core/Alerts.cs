using System.Diagnostics.Metrics;
using Evpn.Wire.Model;

namespace Evpn.Core;

public enum AlertKind : byte
{
    /// <summary>RFC 7432 section 15.1: the MAC moved too often; it is frozen and no longer advertised.</summary>
    DuplicateMacDetected,

    /// <summary>The freeze time ended (or an operator cleared it): the MAC is served again.</summary>
    DuplicateMacCleared,

    /// <summary>RFC 7432 section 15.2: a sticky MAC is claimed by another VTEP.</summary>
    StickyMacConflict,
}

/// <summary>Something an operator must see: the daemon logs it; the core also counts it.</summary>
public sealed record CoreAlert(DateTimeOffset Time, AlertKind Kind, uint Vni, MacAddress Mac, string Message);

/// <summary>Counters for show commands and metrics; also published on the <c>Evpn.Core</c> meter.</summary>
public sealed class CoreCounters : IDisposable
{
    private readonly Meter _meter = new("Evpn.Core");
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _moves;

    public CoreCounters()
    {
        _duplicates = _meter.CreateCounter<long>("evpn_duplicate_macs_detected", description: "MACs marked duplicate (RFC 7432 section 15.1)");
        _moves = _meter.CreateCounter<long>("evpn_mac_moves", description: "MAC moves between VTEPs");
        _meter.CreateObservableGauge("evpn_duplicate_macs", () => DuplicateMacsNow, description: "MACs currently marked duplicate (frozen or not), until the freeze time ends or an operator clears them");
        _meter.CreateObservableCounter("evpn_routes_not_installed", () => new[]
        {
            new Measurement<long>(RoutesWithoutMacVrf, Reason("no-mac-vrf")),
            new Measurement<long>(RoutesWithUnsupportedTunnel, Reason("unsupported-tunnel")),
            new Measurement<long>(RoutesToOtherUnderlayFamily, Reason("other-underlay-family")),
        }, description: "Received type-2/3 best paths kept in the RIB but not installed, by reason, counted each time such a path is selected");
    }

    private static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);

    public long DuplicateMacsDetected { get; private set; }
    public long DuplicateMacsNow { get; internal set; }
    public long MacMoves { get; private set; }
    public long StickyConflicts { get; internal set; }

    /// <summary>Type-2/3 routes whose route targets match no MAC-VRF here (kept in the Loc-RIB).</summary>
    public long RoutesWithoutMacVrf { get; internal set; }

    /// <summary>Type-2/3 routes with a tunnel encapsulation other than VXLAN, or a type-3 without ingress replication.</summary>
    public long RoutesWithUnsupportedTunnel { get; internal set; }

    /// <summary>Type-2/3 routes whose VTEP is of the other address family than the local VTEP.</summary>
    public long RoutesToOtherUnderlayFamily { get; internal set; }

    internal void CountNotInstalled(InstallBlock block)
    {
        if (block == InstallBlock.UnsupportedTunnel)
        {
            RoutesWithUnsupportedTunnel++;
        }
        else if (block == InstallBlock.OtherUnderlayFamily)
        {
            RoutesToOtherUnderlayFamily++;
        }
    }

    /// <summary>UPDATEs that arrived for a session no longer established (dropped).</summary>
    public long UpdatesFromUnknownPeers { get; internal set; }

    internal void CountDuplicate()
    {
        DuplicateMacsDetected++;
        DuplicateMacsNow++;
        _duplicates.Add(1);
    }

    internal void CountMove()
    {
        MacMoves++;
        _moves.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}
