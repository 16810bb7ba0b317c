using System.Collections;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>What one reflector client holds of the plan's routes: a bit per type-2 route (by the index in its
/// MAC) and per type-3 route (by VTEP and VNI), so a thousand clients of a million routes stay small. Routes
/// of this client's own range coming back, and routes whose ORIGINATOR_ID is not their originator's router-id
/// or that carry no CLUSTER_LIST (RFC 4456 section 8), are counted as faults. Written by the client's reader
/// task only; <see cref="Converged"/> completes once every expected route and the End-of-RIB are in.</summary>
public sealed class ReflectedView
{
    private readonly ReflectorLayout _layout;
    private readonly int _client;
    private readonly BitArray _type2;
    private readonly BitArray _type3;
    private readonly TaskCompletionSource<long> _converged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private bool _endOfRib;

    public ReflectedView(ReflectorLayout layout, int client)
    {
        _layout = layout;
        _client = client;
        _type2 = new BitArray(layout.Options.Routes);
        _type3 = new BitArray(layout.Options.Type3Count);
        Expected = layout.ExpectedAt(client);
    }

    /// <summary>Routes this client should end with: every route of the plan but its own.</summary>
    public int Expected { get; }

    /// <summary>Routes of the plan it holds now.</summary>
    public int Held => Volatile.Read(ref _held);

    public int OwnRoutesBack { get; private set; }
    public int BadReflectionAttributes { get; private set; }
    /// <summary>Announcements of routes outside the plan (the reflector's own, for one).</summary>
    public int ForeignRoutes { get; private set; }
    public bool HasEndOfRib => Volatile.Read(ref _endOfRib);

    /// <summary>Completes with the Unix time (ns) at which the client first held all it should.</summary>
    public Task<long> Converged => _converged.Task;

    public void Receive(UpdateMessage update)
    {
        if (EndOfRib.TryGetFamily(update, out var family))
        {
            if (family == AfiSafi.L2vpnEvpn)
            {
                Volatile.Write(ref _endOfRib, true);
                CheckConverged();
            }
            return;
        }
        if (update.MpReach is { } reach)
        {
            foreach (var nlri in reach.Nlri.AsSpan())
            {
                Apply(nlri, update.Attributes, announce: true);
            }
        }
        if (update.MpUnreach is { } unreach)
        {
            foreach (var nlri in unreach.Nlri.AsSpan())
            {
                Apply(nlri, null, announce: false);
            }
        }
        CheckConverged();
    }

    private void Apply(Nlri nlri, PathAttributes? attributes, bool announce)
    {
        var (bits, index, owner) = Locate(nlri);
        if (bits is null)
        {
            ForeignRoutes++;
            return;
        }
        if (announce)
        {
            if (owner == _client)
            {
                OwnRoutesBack++;
            }
            if (attributes!.OriginatorId != _layout.RouterId(owner) || attributes.ClusterList.IsEmpty)
            {
                BadReflectionAttributes++;
            }
        }
        if (bits[index] != announce && owner != _client)
        {
            bits[index] = announce;
            Volatile.Write(ref _held, _held + (announce ? 1 : -1));
        }
    }

    private (BitArray? Bits, int Index, int Owner) Locate(Nlri nlri)
    {
        switch (nlri.Evpn)
        {
            case MacIpAdvertisementRoute mac when _layout.TryType2Index(mac.Mac, out var index):
                return (_type2, index, _layout.OwnerOfType2(index));
            case InclusiveMulticastRoute imet when _layout.TryType3Index(imet, out var index):
                return (_type3, index, _layout.OwnerOfType3);
            default:
                return (null, 0, -1);
        }
    }

    private void CheckConverged()
    {
        if ((_endOfRib || !_layout.Options.RequireEndOfRib) && _held == Expected)
        {
            _converged.TrySetResult(UnixClock.NowNs());
        }
    }
}
