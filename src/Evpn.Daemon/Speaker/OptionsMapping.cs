using System.Collections.Immutable;
using System.Net;
using Evpn.Config.Options;
using Evpn.Core;
using Evpn.Session.Options;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Speaker;

/// <summary>Turns the validated configuration into the options of the session layer and the EVPN core.
/// The configuration is already checked (Evpn.Config).</summary>
public static class OptionsMapping
{
    /// <param name="restartingWith">Null on a fresh start; on a restart, the dynamic neighbors it waits for
    /// (<see cref="GracefulStopRecord"/>).</param>
    public static SpeakerOptions Speaker(EvpnConfig config, ImmutableArray<PeerAddress>? restartingWith)
    {
        var router = config.Router;
        var ranges = config.Neighbors
            .Where(n => n.IsListenRange)
            .Select(n => new DynamicNeighborRange(
                n.ListenRange!.Value.Address,
                n.ListenRange.Value.Length,
                Peer(n, n.ListenRange.Value.Address, config),
                RemoteAsAny: n.RemoteAs.Kind == PeerAsKind.External,
                Limit: n.ListenLimit))
            .ToImmutableArray();
        return new SpeakerOptions
        {
            LocalAs = router.Asn,
            RouterId = router.RouterId.ToIPAddress(),
            ListenEndPoint = new IPEndPoint(router.ListenAddress?.ToIPAddress() ?? IPAddress.IPv6Any, router.ListenPort),
            DynamicNeighbors = ranges,
            Restarting = restartingWith is not null,
            RestartingWith = restartingWith ?? [],
            ForwardingPreserved = restartingWith is not null && router.GracefulRestart.PreserveForwarding,
            UpdateCheck = TunnelEndpointCheck.For(router.LocalVtep, router.AllowLoopbackVteps),
        };
    }

    /// <summary>The fixed (address) neighbors as session peers.</summary>
    public static IEnumerable<PeerOptions> Peers(EvpnConfig config) =>
        config.Neighbors.Where(n => n.Address is not null).Select(n => Peer(n, n.Address!.Value, config));

    /// <summary>The interface neighbors as peer templates: the address is what discovery finds on the interface.</summary>
    public static IEnumerable<PeerOptions> InterfacePeers(EvpnConfig config) =>
        config.Neighbors.Where(n => n.IsInterface).Select(n => Peer(n, IpAddr.FromV6(UInt128.Zero), config));

    public static PeerOptions Peer(NeighborOptions neighbor, PeerAddress address, EvpnConfig config)
    {
        var router = config.Router;
        var external = neighbor.RemoteAs.Kind == PeerAsKind.External;
        var remoteAs = neighbor.RemoteAs.Kind switch
        {
            PeerAsKind.Number => neighbor.RemoteAs.Asn,
            PeerAsKind.Internal => router.Asn,
            // `external`: the OPEN decides (any AS but ours).
            _ => 0u,
        };
        var families = neighbor.Families.AsImmutableArray();
        return new PeerOptions
        {
            Address = address,
            Interface = neighbor.Interface,
            RemoteAs = remoteAs,
            AnyExternalAs = external,
            HoldTime = (ushort)neighbor.Timers.HoldTime.TotalSeconds,
            ConnectRetryTime = neighbor.Timers.ConnectRetry,
            DelayOpenTime = neighbor.Timers.DelayOpen,
            SendHoldTime = neighbor.Timers.SendHoldTime,
            Families = families,
            AddPathReceive = neighbor.AddPathReceive,
            Passive = neighbor.Passive || neighbor.IsListenRange,
            Password = neighbor.Password,
            TtlSecurityHops = neighbor.TtlSecurityHops,
            MultihopTtl = neighbor.MultihopTtl,
            SourceAddress = neighbor.SourceAddress?.ToIPAddress(),
            GracefulRestart = router.GracefulRestart.Enabled && neighbor.GracefulRestart.Enabled
                ? new GracefulRestartOptions
                {
                    RestartTime = (ushort)Math.Min(4095, router.GracefulRestart.RestartTime.TotalSeconds),
                    StalePathTime = neighbor.GracefulRestart.StaleRoutesTime,
                }
                : null,
            MaxPrefix = neighbor.MaxPrefix is { } limit ? MaxPrefix(limit, families) : ImmutableDictionary<AfiSafi, MaxPrefixOptions>.Empty,
            Enabled = !neighbor.Shutdown,
            Receive = new ReceivePolicy
            {
                EnforceFirstAs = neighbor.EnforceFirstAs,
                Discard = neighbor.PathAttributes.Discard,
                TreatAsWithdraw = neighbor.PathAttributes.TreatAsWithdraw,
            },
        };
    }

    public static CoreOptions Core(EvpnConfig config)
    {
        var evpn = config.Evpn;
        return new CoreOptions(config.Router.Asn, config.Router.RouterId, config.Router.LocalVtep)
        {
            IsRouteReflector = config.Neighbors.Any(n => n.RouteReflectorClient),
            ClusterId = config.Router.RouterId,
            UpdateGroupBacklog = config.Router.UpdateGroupBacklog,
            Derivation = evpn.RtDerivation,
            WildcardImport = evpn.WildcardImport,
            AdvertiseAllVnis = evpn.AdvertiseAllVni,
            AdvertiseDefaultGateway = evpn.AdvertiseDefaultGw,
            DuplicateDetection = new DuplicateDetectionOptions(
                evpn.DuplicateDetection.Enabled,
                evpn.DuplicateDetection.MaxMoves,
                evpn.DuplicateDetection.Window,
                evpn.DuplicateDetection.Freeze.Mode == FreezeMode.Timed ? evpn.DuplicateDetection.Freeze.Duration : null,
                Freeze: evpn.DuplicateDetection.Freeze.Mode != FreezeMode.None),
            Vnis = evpn.Vnis.Select(v => new VniConfig(
                v.Vni,
                v.Rd,
                v.ImportRts.IsEmpty ? null : v.ImportRts.AsImmutableArray(),
                v.ExportRts.IsEmpty ? null : v.ExportRts.AsImmutableArray(),
                v.AdvertiseDefaultGw,
                v.EthernetTag,
                v.RtDerivation,
                v.Evi)).ToList(),
        };
    }

    /// <summary>The VNIs the data plane should report: all of them with advertise-all-vni, else the listed ones.</summary>
    public static IReadOnlySet<uint>? ConfiguredVnis(EvpnConfig config) =>
        config.Evpn.AdvertiseAllVni ? null : config.Evpn.Vnis.Select(v => v.Vni).ToHashSet();

    private static ImmutableDictionary<AfiSafi, MaxPrefixOptions> MaxPrefix(MaxPrefixSettings limit, ImmutableArray<AfiSafi> families) =>
        families.ToImmutableDictionary(f => f, _ => new MaxPrefixOptions(limit.Limit, limit.WarningThresholdPercent, limit.RestartInterval));
}
