using System.Collections;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>What one reflector client holds of the plan's routes: a bit per type-2 route (by the index in its
/// MAC), per type-3 route (by VTEP and VNI) and per moved host's new route (behind the move VTEP), so a thousand
/// clients of a million routes stay small. A route of this client's own coming back with its own router-id as
/// ORIGINATOR_ID is ignored, as RFC 4456 section 8 has the client do, and counted; a reflected route whose
/// ORIGINATOR_ID is not its originator's router-id or that carries no CLUSTER_LIST is a fault. Written by the
/// client's reader task, and by <see cref="ExpectMove"/> under the same lock; <see cref="Converged"/>
/// completes once every expected route and the End-of-RIB are in, <see cref="MoveConverged"/> once the moved
/// hosts' new routes are in and their old ones gone.</summary>
public sealed class ReflectedView
{
    private readonly ReflectorLayout _layout;
    private readonly int _client;
    private readonly BitArray _type2;
    private readonly BitArray _type3;
    private readonly BitArray _moved;
    private readonly TaskCompletionSource<long> _converged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _moveConverged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private int _heldMoved;
    private bool _endOfRib;
    private (int Held, int Moved)? _afterMove;
    private (BitArray Type2, BitArray Type3, BitArray Moved)? _stale;
    private TaskCompletionSource<long>? _restarted;

    public ReflectedView(ReflectorLayout layout, int client)
    {
        _layout = layout;
        _client = client;
        _type2 = new BitArray(layout.Options.Routes);
        _type3 = new BitArray(layout.Options.Type3Count);
        _moved = new BitArray(layout.Options.Routes);
        Expected = layout.ExpectedAt(client);
    }

    /// <summary>Routes this client should end with: every route of the plan but its own.</summary>
    public int Expected { get; }

    /// <summary>Routes of the plan as first announced that it holds now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Moved hosts' new routes it holds now.</summary>
    public int HeldMoved => Volatile.Read(ref _heldMoved);

    /// <summary>Announcements of its own routes (ORIGINATOR_ID its own router-id) that it ignored.</summary>
    public int OwnRoutesBack { get; private set; }
    public int BadReflectionAttributes { get; private set; }
    /// <summary>Announcements of routes outside the plan (the reflector's own, for one).</summary>
    public int ForeignRoutes { get; private set; }
    public bool HasEndOfRib => Volatile.Read(ref _endOfRib);

    /// <summary>Routes kept as stale across a restart of the reflector that its End-of-RIB found not sent again
    /// and that the client therefore removed (RFC 4724 section 4.2): each one a route lost to the restart.</summary>
    public int StalePurged { get; private set; }

    /// <summary>After <see cref="MarkStale"/>: completes with the Unix time (ns) at which the client, connected again,
    /// got the reflector's End-of-RIB and held all it should (after the move, when there was one), nothing stale left.</summary>
    public Task<long> Restarted => _restarted?.Task ?? throw new InvalidOperationException("no restart yet");

    /// <summary>Completes with the Unix time (ns) at which the client first held all it should.</summary>
    public Task<long> Converged => _converged.Task;

    /// <summary>Completes with the Unix time (ns) at which the client first held the plan after the move
    /// (<see cref="ExpectMove"/>): every moved host's new route but those it announced itself, and none of
    /// their old routes.</summary>
    public Task<long> MoveConverged => _moveConverged.Task;

    /// <summary>Sets what the client holds once <paramref name="movedIndexes"/> have moved: their old routes
    /// withdrawn by their originators, their new ones announced by the next originators. Called before the move
    /// is sent; the reader task sees it through the lock.</summary>
    public void ExpectMove(IReadOnlyList<int> movedIndexes)
    {
        var oldHeld = movedIndexes.Count(i => _layout.OwnerOfType2(i) != _client);
        var newHeld = movedIndexes.Count(i => _layout.MoveOwnerOfType2(i) != _client);
        lock (_moveConverged)
        {
            _afterMove = (Expected - oldHeld, newHeld);
            CheckConverged();
        }
    }

    /// <summary>The reflector's session went down and the client, a graceful-restart helper, keeps every route it holds
    /// as stale until the reflector, connected again, sends its End-of-RIB (RFC 4724 section 4.2). Called before the
    /// client connects again.</summary>
    public void MarkStale()
    {
        lock (_moveConverged)
        {
            _stale = ((BitArray)_type2.Clone(), (BitArray)_type3.Clone(), (BitArray)_moved.Clone());
            _restarted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _endOfRib, false);
        }
    }

    public void Receive(UpdateMessage update)
    {
        lock (_moveConverged)
        {
            if (EndOfRib.TryGetFamily(update, out var family))
            {
                if (family == AfiSafi.L2vpnEvpn)
                {
                    PurgeStale();
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
            if (attributes!.OriginatorId != _layout.RouterId(owner) || attributes.ClusterList.IsEmpty)
            {
                BadReflectionAttributes++;
            }
            else if (owner == _client)
            {
                OwnRoutesBack++;
            }
        }
        if (announce && _stale is { } stale)
        {
            StaleSet(stale, bits).Set(index, false);
        }
        if (bits[index] != announce && owner != _client)
        {
            Set(bits, index, announce);
        }
    }

    /// <summary>Sets or clears one route's bit and keeps the count of held routes (or moved hosts' routes) with it.</summary>
    private void Set(BitArray bits, int index, bool held)
    {
        bits[index] = held;
        var delta = held ? 1 : -1;
        if (ReferenceEquals(bits, _moved))
        {
            Volatile.Write(ref _heldMoved, _heldMoved + delta);
        }
        else
        {
            Volatile.Write(ref _held, _held + delta);
        }
    }

    /// <summary>The reflector, connected again, did not say its forwarding state for L2VPN EVPN was preserved (no
    /// F bit): RFC 4724 section 4.2 has the helper remove the stale routes at once.</summary>
    public void ForwardingNotPreserved()
    {
        lock (_moveConverged)
        {
            PurgeStale();
            CheckConverged();
        }
    }

    /// <summary>Every route still stale goes: the reflector's End-of-RIB says it has sent all it has.</summary>
    private void PurgeStale()
    {
        if (_stale is not { } stale)
        {
            return;
        }
        _stale = null;
        foreach (var bits in new[] { _type2, _type3, _moved })
        {
            var left = StaleSet(stale, bits);
            for (var index = 0; index < left.Length; index++)
            {
                if (left[index] && bits[index])
                {
                    Set(bits, index, held: false);
                    StalePurged++;
                }
            }
        }
    }

    private BitArray StaleSet((BitArray Type2, BitArray Type3, BitArray Moved) stale, BitArray bits) =>
        ReferenceEquals(bits, _type2) ? stale.Type2 : ReferenceEquals(bits, _type3) ? stale.Type3 : stale.Moved;

    private (BitArray? Bits, int Index, int Owner) Locate(Nlri nlri)
    {
        switch (nlri.Evpn)
        {
            case MacIpAdvertisementRoute mac when _layout.TryType2Index(mac.Mac, out var index):
                return mac.Rd == _layout.MovedRd(index)
                    ? (_moved, index, _layout.MoveOwnerOfType2(index))
                    : (_type2, index, _layout.OwnerOfType2(index));
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
        if (_afterMove is { } after && _held == after.Held && _heldMoved == after.Moved)
        {
            _moveConverged.TrySetResult(UnixClock.NowNs());
        }
        if (_restarted is { } restarted && _stale is null && _endOfRib
            && _held == (_afterMove?.Held ?? Expected) && _heldMoved == (_afterMove?.Moved ?? 0))
        {
            restarted.TrySetResult(UnixClock.NowNs());
        }
    }
}
